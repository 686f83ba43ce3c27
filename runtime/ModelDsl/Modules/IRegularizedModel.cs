using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// A model that declares weight decay (<c>[WeightDecay(group, L2 = …, L1 = …)]</c>). Training adds
/// <see cref="Penalty"/> to the data loss: Ĵ(w) = J(w) + Σ_i (λ2_i/2)·‖w_i‖² + λ1_i·‖w_i‖₁ (chapter 5.4).
/// </summary>
public interface IRegularizedModel
{
    /// <summary>The differentiable penalty scalar on the model's device.</summary>
    Tensor Penalty();
}

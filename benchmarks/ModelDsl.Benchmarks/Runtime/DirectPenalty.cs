using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// The weight-decay penalty written straight from the formula, Σ (λ2/2)·w.square().sum() + λ1·w.abs().sum() over the
/// model's decayed parameter groups: what Penalties.Penalty computed before it was reshaped for a cheaper backward pass.
/// The reference the <c>penalty-formula</c> comparison and <c>penalty-parts</c> measure it against.
/// </summary>
public static class DirectPenalty
{
    public static Tensor Of(RegularizedMlp model)
    {
        Tensor total = zeros(System.Array.Empty<long>());
        foreach (ParameterGroup group in model.ParameterGroups())
        {
            foreach (var w in group.Parameters)
            {
                if (group.WeightDecay != 0) total = total + w.square().sum() * (group.WeightDecay / 2);
                if (group.L1 != 0) total = total + w.abs().sum() * group.L1;
            }
        }
        return total;
    }
}

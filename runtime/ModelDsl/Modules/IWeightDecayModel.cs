using System.Collections.Generic;

namespace ModelDsl;

/// <summary>
/// A model with <c>[WeightDecay]</c> groups. Two forms of the same regularizer (docs/regularization.md):
/// <see cref="IRegularizedModel.Penalty"/> adds Σ (λ2/2)·‖w‖² + λ1·‖w‖₁ to the loss (coupled), and
/// <see cref="ParameterGroups"/> gives the optimizer one group per layer group with weight_decay = λ2.
/// </summary>
public interface IWeightDecayModel : IRegularizedModel
{
    /// <summary>
    /// Every trainable parameter of the model exactly once (frozen ones are left out): one group per declared layer group with its λ2, then
    /// <see cref="Penalties.NoDecayGroup"/> (weight decay 0) with everything no group decays (biases, norms,
    /// layers of undeclared defaults). Groups without parameters are left out.
    /// </summary>
    IReadOnlyList<ParameterGroup> ParameterGroups();

    /// <summary>
    /// After <c>dataLoss.backward()</c>: adds the penalty's gradient λ2·w + λ1·sign(w) to the decayed parameters'
    /// gradients in place; equivalent to backpropagating <c>dataLoss + Penalty()</c>, and cheaper (no autograd branch,
    /// no value computed; call <see cref="IRegularizedModel.Penalty"/> for the value). Used by the Trainer.
    /// </summary>
    void AddPenaltyGradients();
}

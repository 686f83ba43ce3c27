using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Model;

/// <summary>
/// The regularization a model declares, decided: its weight-decay groups with the parameters each decays, and its
/// max-norm constraints. Null on a <see cref="ModelPlan"/> when the model declares none (nothing extra is emitted).
/// </summary>
internal sealed record RegularizationPlan(EquatableArray<DecayGroupPlan> Groups, EquatableArray<MaxNormPlan> MaxNorms);

/// <summary>One [WeightDecay] group: λ2, λ1 and the state_dict names of the parameters it decays.</summary>
internal sealed record DecayGroupPlan(string Name, double L2, double L1, EquatableArray<string> Parameters);

/// <summary>A max-norm bound on one weight parameter (rows = units' incoming weights).</summary>
internal sealed record MaxNormPlan(string Parameter, double Max);

using System.Collections.Generic;
using TorchSharp.Modules;

namespace ModelDsl;

/// <summary>
/// Parameters that share one weight decay, ready to become an optimizer's parameter group
/// (<see cref="RegularizedOptimizer"/> does that). <see cref="WeightDecay"/> is the group's λ2; λ1 has no optimizer
/// form and acts only through <c>Penalty()</c>.
/// </summary>
public sealed record ParameterGroup(string Name, IReadOnlyList<Parameter> Parameters, double WeightDecay, double L1);

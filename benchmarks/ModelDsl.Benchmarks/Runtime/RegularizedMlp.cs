using static ModelDsl.Init;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>The card's MLP with the two weight-decay groups of issue 8's Penalty() benchmark: L2 on the body, L2 + L1 on the head.</summary>
[Model(784)]
[WeightDecay("body", L2 = 1e-4)]
[WeightDecay("head", L2 = 1e-3, L1 = 1e-5)]
[Dense(256, Init = He, Group = "body"), BatchNorm, Dropout(0.5)]
[Dense(10, Group = "head")]
public partial class RegularizedMlp { }

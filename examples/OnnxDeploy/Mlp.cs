using ModelDsl;
using static ModelDsl.Init;

namespace OnnxDeploy;

/// <summary>The Quickstart's network (examples/Quickstart/Mlp.cs), declared again so this example stands alone.</summary>
[Model(784)]
[WeightDecay("body", L2 = 1e-5)]
[WeightDecay("head", L2 = 1e-4)]
[Dense(512, Init = He, Activation = Activation.ReLU, Group = "body"), BatchNorm, Dropout(0.2)]
[Dense(256, Init = He, Activation = Activation.ReLU, Group = "body"), BatchNorm, Dropout(0.2)]
[Dense(10, Group = "head")]
public partial class Mlp { }

using ModelDsl;
using static ModelDsl.Init;

namespace Quickstart;

/// <summary>
/// The Quickstart's digit classifier: two He-initialized ReLU layers (He's √(2/n) suits ReLU, chapter 5.1.4), each
/// followed by batch norm (5.3) and dropout (5.8), then a linear read-out to 10 logits. The hidden layers and the
/// read-out are separate weight-decay groups (5.4): the Trainer adds Penalty() = Σ (λ2/2)·‖w‖² to the loss.
/// </summary>
[Model(784)]
[WeightDecay("body", L2 = 1e-5)]
[WeightDecay("head", L2 = 1e-4)]
[Dense(512, Init = He, Activation = Activation.ReLU, Group = "body"), BatchNorm, Dropout(0.2)]
[Dense(256, Init = He, Activation = Activation.ReLU, Group = "body"), BatchNorm, Dropout(0.2)]
[Dense(10, Group = "head")]
public partial class Mlp { }

using ModelDsl;
using static ModelDsl.Init;

namespace Quickstart;

/// <summary>
/// The Quickstart's digit classifier: two He-initialized ReLU layers (He's √(2/n) suits ReLU, chapter 5.1.4), each
/// followed by batch norm (5.3) and dropout (5.8), then a linear read-out to 10 logits.
/// </summary>
[Model(784)]
[Dense(512, Init = He, Activation = Activation.ReLU), BatchNorm, Dropout(0.2)]
[Dense(256, Init = He, Activation = Activation.ReLU), BatchNorm, Dropout(0.2)]
[Dense(10)]
public partial class Mlp { }

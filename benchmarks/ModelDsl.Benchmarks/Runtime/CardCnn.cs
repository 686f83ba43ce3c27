using static ModelDsl.Init;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>The CNN of examples/MnistCnn, verbatim (conv–BN–ReLU–pool ×2, channel dropout, dense head); the generator writes the rest.</summary>
[Model(1, 28, 28)]
[Conv2d(32, 3, Padding = Padding.Same, Bias = false, Init = He), BatchNorm, ReLU, MaxPool2d(2)]
[Conv2d(64, 3, Padding = Padding.Same, Bias = false, Init = He), BatchNorm, ReLU, MaxPool2d(2)]
[Dropout2d(0.25), Flatten]
[Dense(128, Init = He), ReLU, Dropout(0.5)]
[Dense(10)]
public partial class CardCnn { }

using ModelDsl;
using static ModelDsl.Init;

namespace MnistCnnExample;

/// <summary>
/// A small MNIST CNN: two conv–BN–ReLU stages with max pooling, channel dropout, and a dense head.
/// The convolutions have no bias (the batch norm after them has its own shift β) and He init with
/// fan_in = C_in·3·3 (5.1); batch norm is per channel (BatchNorm2d, 5.3.3).
/// </summary>
[Model(1, 28, 28)]
[Conv2d(16, 3, Padding = Padding.Same, Bias = false, Init = He), BatchNorm, ReLU, MaxPool2d(2)]
[Conv2d(32, 3, Padding = Padding.Same, Bias = false, Init = He), BatchNorm, ReLU, MaxPool2d(2)]
[Dropout2d(0.1), Flatten]
[Dense(128, Init = He), ReLU, Dropout(0.3)]
[Dense(10)]
public partial class MnistCnn { }

using TorchSharp.Modules;
using static ModelDsl.Init;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// A DenseNet-style network (Huang et al. 2017): a dense block of three BN–ReLU–conv layers, each reading the
/// concatenation of the stem and every layer before it (growth rate 8), a transition (BN–ReLU–1×1 conv, 2×2 average
/// pooling) and a head.
/// </summary>
[Model(1, 28, 28)]
public partial class CardDenseNet
{
    [Conv2d(16, 3, Padding = 1, Bias = false, Init = He)] public partial Sequential Stem { get; }
    [BatchNorm, ReLU, Conv2d(8, 3, Padding = 1, Bias = false, Init = He)] public partial Sequential Layer1 { get; }
    [Concatenate(nameof(Stem), nameof(Layer1)), BatchNorm, ReLU, Conv2d(8, 3, Padding = 1, Bias = false, Init = He)] public partial Sequential Layer2 { get; }
    [Concatenate(nameof(Stem), nameof(Layer1), nameof(Layer2)), BatchNorm, ReLU, Conv2d(8, 3, Padding = 1, Bias = false, Init = He)] public partial Sequential Layer3 { get; }
    [Concatenate(nameof(Stem), nameof(Layer1), nameof(Layer2), nameof(Layer3)), BatchNorm, ReLU, Conv2d(20, 1, Bias = false, Init = He), AvgPool2d(2)] public partial Sequential Transition { get; }
    [GlobalAvgPool, Dense(10)] public partial Sequential Head { get; }
}

using ModelDsl;
using TorchSharp.Modules;
using static ModelDsl.Init;

namespace InceptionMnist;

/// <summary>
/// An Inception module (Szegedy et al. 2015, "Going Deeper with Convolutions", fig. 2b): parallel 1×1, 1×1→3×3 and
/// 1×1→5×5 branches on the same input, concatenated along channels, each convolution followed by batch norm and ReLU
/// (Ioffe and Szegedy 2015's BN-Inception). Declared once; each use gives its widths.
/// </summary>
[Block]
public partial class InceptionModule
{
    public const int Out1 = 16, Reduce3 = 16, Out3 = 32, Reduce5 = 8, Out5 = 16;

    [Conv2d(Out1, 1, Bias = false, Init = He), BatchNorm, ReLU]
    public partial Sequential Branch1 { get; }

    [From("input"), Conv2d(Reduce3, 1, Bias = false, Init = He), BatchNorm, ReLU, Conv2d(Out3, 3, Padding = 1, Bias = false, Init = He), BatchNorm, ReLU]
    public partial Sequential Branch3 { get; }

    [From("input"), Conv2d(Reduce5, 1, Bias = false, Init = He), BatchNorm, ReLU, Conv2d(Out5, 5, Padding = 2, Bias = false, Init = He), BatchNorm, ReLU]
    public partial Sequential Branch5 { get; }

    [Concatenate(nameof(Branch1), nameof(Branch3), nameof(Branch5))]
    public partial Sequential Joined { get; }
}

/// <summary>
/// A small Inception network for MNIST: a conv–BN–ReLU stem at 28×28, three Inception modules of growing width
/// (72, 136 and 192 channels) with 2×2 max pooling after the first two (14×14, 7×7), global average pooling, dropout and
/// a linear classifier.
/// </summary>
[Model(1, 28, 28)]
public partial class InceptionNet
{
    [Conv2d(32, 3, Padding = 1, Bias = false, Init = He), BatchNorm, ReLU]
    public partial Sequential Stem { get; }

    [With(nameof(InceptionModule.Out1), 24, nameof(InceptionModule.Reduce3), 24, nameof(InceptionModule.Out3), 32,
          nameof(InceptionModule.Reduce5), 8, nameof(InceptionModule.Out5), 16)]
    public partial InceptionModule Mixed1 { get; }

    [MaxPool2d(2)]
    public partial Sequential Pool1 { get; }

    [With(nameof(InceptionModule.Out1), 48, nameof(InceptionModule.Reduce3), 32, nameof(InceptionModule.Out3), 64,
          nameof(InceptionModule.Reduce5), 12, nameof(InceptionModule.Out5), 24)]
    public partial InceptionModule Mixed2 { get; }

    [MaxPool2d(2)]
    public partial Sequential Pool2 { get; }

    [With(nameof(InceptionModule.Out1), 64, nameof(InceptionModule.Reduce3), 48, nameof(InceptionModule.Out3), 96,
          nameof(InceptionModule.Reduce5), 16, nameof(InceptionModule.Out5), 32)]
    public partial InceptionModule Mixed3 { get; }

    [GlobalAvgPool, Dropout(0.2), Dense(10)]
    public partial Sequential Head { get; }
}

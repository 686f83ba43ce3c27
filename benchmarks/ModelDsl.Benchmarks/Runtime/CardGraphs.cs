using TorchSharp.Modules;
using static ModelDsl.Init;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>examples/InceptionMnist's Inception module, verbatim.</summary>
[Block]
public partial class CardInceptionModule
{
    public const int Out1 = 16, Reduce3 = 16, Out3 = 24, Reduce5 = 8, Out5 = 8;

    [Conv2d(Out1, 1, Bias = false, Init = He), BatchNorm, ReLU]
    public partial Sequential Branch1 { get; }

    [From("input"), Conv2d(Reduce3, 1, Bias = false, Init = He), BatchNorm, ReLU, Conv2d(Out3, 3, Padding = 1, Bias = false, Init = He), BatchNorm, ReLU]
    public partial Sequential Branch3 { get; }

    [From("input"), Conv2d(Reduce5, 1, Bias = false, Init = He), BatchNorm, ReLU, Conv2d(Out5, 5, Padding = 2, Bias = false, Init = He), BatchNorm, ReLU]
    public partial Sequential Branch5 { get; }

    [Concatenate(nameof(Branch1), nameof(Branch3), nameof(Branch5))]
    public partial Sequential Joined { get; }
}

/// <summary>examples/InceptionMnist's network, verbatim: three uses of one template with different widths.</summary>
[Model(1, 28, 28)]
public partial class CardInception
{
    [Conv2d(32, 3, Padding = 1, Bias = false, Init = He), BatchNorm, ReLU]
    public partial Sequential Stem { get; }

    [With(nameof(CardInceptionModule.Out1), 16, nameof(CardInceptionModule.Reduce3), 16, nameof(CardInceptionModule.Out3), 24,
          nameof(CardInceptionModule.Reduce5), 8, nameof(CardInceptionModule.Out5), 8)]
    public partial CardInceptionModule Mixed1 { get; }

    [MaxPool2d(2)]
    public partial Sequential Pool1 { get; }

    [With(nameof(CardInceptionModule.Out1), 32, nameof(CardInceptionModule.Reduce3), 24, nameof(CardInceptionModule.Out3), 48,
          nameof(CardInceptionModule.Reduce5), 8, nameof(CardInceptionModule.Out5), 16)]
    public partial CardInceptionModule Mixed2 { get; }

    [MaxPool2d(2)]
    public partial Sequential Pool2 { get; }

    [With(nameof(CardInceptionModule.Out1), 48, nameof(CardInceptionModule.Reduce3), 32, nameof(CardInceptionModule.Out3), 64,
          nameof(CardInceptionModule.Reduce5), 12, nameof(CardInceptionModule.Out5), 16)]
    public partial CardInceptionModule Mixed3 { get; }

    [GlobalAvgPool, Dropout(0.2), Dense(10)]
    public partial Sequential Head { get; }
}

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

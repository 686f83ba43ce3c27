using ModelDsl;
using TorchSharp.Modules;

namespace Zoo;

/// <summary>
/// MNASNet's inverted residual (Tan et al. 2019) as torchvision's <c>_InvertedResidual</c>, without the skip: 1×1
/// expansion to <see cref="Mid"/>, a depthwise <see cref="Kernel"/>×<see cref="Kernel"/> convolution, a linear 1×1
/// projection, each with batch norm (momentum 0.0003, torchvision's 1 − 0.9997) and ReLU after the first two.
/// </summary>
[Block]
public partial class MnasBlock
{
    public const int Mid = 24, Out = 16, Kernel = 3, Stride = 2;

    [Conv2d(Mid, 1, Bias = false, Name = "0"), BatchNorm(Momentum = 0.0003, Name = "1"), ReLU(Name = "2"),
     Conv2d(Mid, Kernel, Stride = Stride, Padding = Kernel / 2, Groups = Mid, Bias = false, Name = "3"), BatchNorm(Momentum = 0.0003, Name = "4"), ReLU(Name = "5"),
     Conv2d(Out, 1, Bias = false, Name = "6"), BatchNorm(Momentum = 0.0003, Name = "7")]
    public partial Sequential Layers { get; }
}

/// <summary>The MNASNet block that keeps its shape, its input added to its output.</summary>
[Block]
public partial class MnasBlockSkip
{
    public const int Mid = 48, Out = 16, Kernel = 3;

    [Conv2d(Mid, 1, Bias = false, Name = "0"), BatchNorm(Momentum = 0.0003, Name = "1"), ReLU(Name = "2"),
     Conv2d(Mid, Kernel, Stride = 1, Padding = Kernel / 2, Groups = Mid, Bias = false, Name = "3"), BatchNorm(Momentum = 0.0003, Name = "4"), ReLU(Name = "5"),
     Conv2d(Out, 1, Bias = false, Name = "6"), BatchNorm(Momentum = 0.0003, Name = "7")]
    public partial Sequential Layers { get; }

    [Add("input", nameof(Layers))]
    public partial Sequential Sum { get; }
}

/// <summary>
/// torchvision's <c>mnasnet0_5</c> (depth multiplier 0.5): a stem with a depthwise separable convolution, six stacks of
/// MNASNet blocks (3×3 and 5×5 kernels, expansion 3 or 6), a 1×1 convolution to 1280 channels, the spatial mean,
/// dropout 0.2 and the classifier. torchvision numbers everything inside <c>layers</c>; numbered renames map the stacks.
/// </summary>
[Model(3, 224, 224)]
[RenameWeights("layers.{n}.{n}", "stack{n}Unit{n}"), RenameWeights("layers.14", "head.14"), RenameWeights("layers.15", "head.15")]
public partial class MnasNet05
{
    [Conv2d(16, 3, Stride = 2, Padding = 1, Bias = false, Name = "0"), BatchNorm(Momentum = 0.0003, Name = "1"), ReLU(Name = "2"),
     Conv2d(16, 3, Padding = 1, Groups = 16, Bias = false, Name = "3"), BatchNorm(Momentum = 0.0003, Name = "4"), ReLU(Name = "5"),
     Conv2d(8, 1, Bias = false, Name = "6"), BatchNorm(Momentum = 0.0003, Name = "7")]
    public partial Sequential Layers { get; }

    [With(nameof(MnasBlock.Mid), 24, nameof(MnasBlock.Out), 16, nameof(MnasBlock.Kernel), 3, nameof(MnasBlock.Stride), 2)] public partial MnasBlock Stack8Unit0 { get; }
    [With(nameof(MnasBlockSkip.Mid), 48, nameof(MnasBlockSkip.Out), 16, nameof(MnasBlockSkip.Kernel), 3)] public partial MnasBlockSkip Stack8Unit1 { get; }
    [With(nameof(MnasBlockSkip.Mid), 48, nameof(MnasBlockSkip.Out), 16, nameof(MnasBlockSkip.Kernel), 3)] public partial MnasBlockSkip Stack8Unit2 { get; }
    [With(nameof(MnasBlock.Mid), 48, nameof(MnasBlock.Out), 24, nameof(MnasBlock.Kernel), 5, nameof(MnasBlock.Stride), 2)] public partial MnasBlock Stack9Unit0 { get; }
    [With(nameof(MnasBlockSkip.Mid), 72, nameof(MnasBlockSkip.Out), 24, nameof(MnasBlockSkip.Kernel), 5)] public partial MnasBlockSkip Stack9Unit1 { get; }
    [With(nameof(MnasBlockSkip.Mid), 72, nameof(MnasBlockSkip.Out), 24, nameof(MnasBlockSkip.Kernel), 5)] public partial MnasBlockSkip Stack9Unit2 { get; }
    [With(nameof(MnasBlock.Mid), 144, nameof(MnasBlock.Out), 40, nameof(MnasBlock.Kernel), 5, nameof(MnasBlock.Stride), 2)] public partial MnasBlock Stack10Unit0 { get; }
    [With(nameof(MnasBlockSkip.Mid), 240, nameof(MnasBlockSkip.Out), 40, nameof(MnasBlockSkip.Kernel), 5)] public partial MnasBlockSkip Stack10Unit1 { get; }
    [With(nameof(MnasBlockSkip.Mid), 240, nameof(MnasBlockSkip.Out), 40, nameof(MnasBlockSkip.Kernel), 5)] public partial MnasBlockSkip Stack10Unit2 { get; }
    [With(nameof(MnasBlock.Mid), 240, nameof(MnasBlock.Out), 48, nameof(MnasBlock.Kernel), 3, nameof(MnasBlock.Stride), 1)] public partial MnasBlock Stack11Unit0 { get; }
    [With(nameof(MnasBlockSkip.Mid), 288, nameof(MnasBlockSkip.Out), 48, nameof(MnasBlockSkip.Kernel), 3)] public partial MnasBlockSkip Stack11Unit1 { get; }
    [With(nameof(MnasBlock.Mid), 288, nameof(MnasBlock.Out), 96, nameof(MnasBlock.Kernel), 5, nameof(MnasBlock.Stride), 2)] public partial MnasBlock Stack12Unit0 { get; }
    [With(nameof(MnasBlockSkip.Mid), 576, nameof(MnasBlockSkip.Out), 96, nameof(MnasBlockSkip.Kernel), 5)] public partial MnasBlockSkip Stack12Unit1 { get; }
    [With(nameof(MnasBlockSkip.Mid), 576, nameof(MnasBlockSkip.Out), 96, nameof(MnasBlockSkip.Kernel), 5)] public partial MnasBlockSkip Stack12Unit2 { get; }
    [With(nameof(MnasBlockSkip.Mid), 576, nameof(MnasBlockSkip.Out), 96, nameof(MnasBlockSkip.Kernel), 5)] public partial MnasBlockSkip Stack12Unit3 { get; }
    [With(nameof(MnasBlock.Mid), 576, nameof(MnasBlock.Out), 160, nameof(MnasBlock.Kernel), 3, nameof(MnasBlock.Stride), 1)] public partial MnasBlock Stack13Unit0 { get; }

    [Conv2d(1280, 1, Bias = false, Name = "14"), BatchNorm(Momentum = 0.0003, Name = "15"), ReLU(Name = "16"), GlobalAvgPool]
    public partial Sequential Head { get; }

    [Dropout(0.2, Name = "0"), Dense(1000, Name = "1")]
    public partial Sequential Classifier { get; }
}

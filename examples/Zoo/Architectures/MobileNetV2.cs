using ModelDsl;
using TorchSharp.Modules;

namespace Zoo;

/// <summary>
/// MobileNetV2's inverted residual (Sandler et al. 2018) without the skip (a stride or a change of width): a 1×1
/// expansion to <see cref="Hidden"/> channels, a 3×3 depthwise convolution, each with batch norm and ReLU6, and a linear
/// 1×1 projection to <see cref="Out"/> with batch norm. Layer names are torchvision's paths inside its <c>conv</c>.
/// </summary>
[Block]
public partial class InvertedResidual
{
    public const int Hidden = 96, Out = 24, Stride = 2;   // torchvision's expanded width, output width and stride

    [Conv2d(Hidden, 1, Bias = false, Name = "0.0"), BatchNorm(Name = "0.1"), ReLU6(Name = "0.2"),
     Conv2d(Hidden, 3, Stride = Stride, Padding = 1, Groups = Hidden, Bias = false, Name = "1.0"), BatchNorm(Name = "1.1"), ReLU6(Name = "1.2"),
     Conv2d(Out, 1, Bias = false, Name = "2"), BatchNorm(Name = "3")]
    public partial Sequential Conv { get; }
}

/// <summary>The inverted residual that keeps its shape (stride 1, same width), so its input is added to its output.</summary>
[Block]
public partial class InvertedResidualSkip
{
    public const int Hidden = 144, Out = 24;

    [Conv2d(Hidden, 1, Bias = false, Name = "0.0"), BatchNorm(Name = "0.1"), ReLU6(Name = "0.2"),
     Conv2d(Hidden, 3, Stride = 1, Padding = 1, Groups = Hidden, Bias = false, Name = "1.0"), BatchNorm(Name = "1.1"), ReLU6(Name = "1.2"),
     Conv2d(Out, 1, Bias = false, Name = "2"), BatchNorm(Name = "3")]
    public partial Sequential Conv { get; }

    [Add("input", nameof(Conv))]
    public partial Sequential Sum { get; }
}

/// <summary>
/// torchvision's <c>mobilenet_v2</c> at width 1.0: a stride-2 stem, 17 inverted residuals (expansion 6 except the
/// first), a 1×1 convolution to 1280 channels, global average pooling, dropout 0.2 and the classifier. torchvision
/// numbers the stages inside <c>features</c>; one numbered rename maps them onto the members.
/// </summary>
[Model(3, 224, 224)]
[RenameWeights("features.{n}", "features{n}")]
public partial class MobileNetV2
{
    [Conv2d(32, 3, Stride = 2, Padding = 1, Bias = false, Name = "0"), BatchNorm(Name = "1"), ReLU6(Name = "2")]
    public partial Sequential Features0 { get; }
    [Conv2d(32, 3, Padding = 1, Groups = 32, Bias = false, Name = "conv.0.0"), BatchNorm(Name = "conv.0.1"), ReLU6(Name = "conv.0.2"),
     Conv2d(16, 1, Bias = false, Name = "conv.1"), BatchNorm(Name = "conv.2")]
    public partial Sequential Features1 { get; }
    [With(nameof(InvertedResidual.Hidden), 96, nameof(InvertedResidual.Out), 24, nameof(InvertedResidual.Stride), 2)] public partial InvertedResidual Features2 { get; }
    [With(nameof(InvertedResidualSkip.Hidden), 144, nameof(InvertedResidualSkip.Out), 24)] public partial InvertedResidualSkip Features3 { get; }
    [With(nameof(InvertedResidual.Hidden), 144, nameof(InvertedResidual.Out), 32, nameof(InvertedResidual.Stride), 2)] public partial InvertedResidual Features4 { get; }
    [With(nameof(InvertedResidualSkip.Hidden), 192, nameof(InvertedResidualSkip.Out), 32)] public partial InvertedResidualSkip Features5 { get; }
    [With(nameof(InvertedResidualSkip.Hidden), 192, nameof(InvertedResidualSkip.Out), 32)] public partial InvertedResidualSkip Features6 { get; }
    [With(nameof(InvertedResidual.Hidden), 192, nameof(InvertedResidual.Out), 64, nameof(InvertedResidual.Stride), 2)] public partial InvertedResidual Features7 { get; }
    [With(nameof(InvertedResidualSkip.Hidden), 384, nameof(InvertedResidualSkip.Out), 64)] public partial InvertedResidualSkip Features8 { get; }
    [With(nameof(InvertedResidualSkip.Hidden), 384, nameof(InvertedResidualSkip.Out), 64)] public partial InvertedResidualSkip Features9 { get; }
    [With(nameof(InvertedResidualSkip.Hidden), 384, nameof(InvertedResidualSkip.Out), 64)] public partial InvertedResidualSkip Features10 { get; }
    [With(nameof(InvertedResidual.Hidden), 384, nameof(InvertedResidual.Out), 96, nameof(InvertedResidual.Stride), 1)] public partial InvertedResidual Features11 { get; }
    [With(nameof(InvertedResidualSkip.Hidden), 576, nameof(InvertedResidualSkip.Out), 96)] public partial InvertedResidualSkip Features12 { get; }
    [With(nameof(InvertedResidualSkip.Hidden), 576, nameof(InvertedResidualSkip.Out), 96)] public partial InvertedResidualSkip Features13 { get; }
    [With(nameof(InvertedResidual.Hidden), 576, nameof(InvertedResidual.Out), 160, nameof(InvertedResidual.Stride), 2)] public partial InvertedResidual Features14 { get; }
    [With(nameof(InvertedResidualSkip.Hidden), 960, nameof(InvertedResidualSkip.Out), 160)] public partial InvertedResidualSkip Features15 { get; }
    [With(nameof(InvertedResidualSkip.Hidden), 960, nameof(InvertedResidualSkip.Out), 160)] public partial InvertedResidualSkip Features16 { get; }
    [With(nameof(InvertedResidual.Hidden), 960, nameof(InvertedResidual.Out), 320, nameof(InvertedResidual.Stride), 1)] public partial InvertedResidual Features17 { get; }
    [Conv2d(1280, 1, Bias = false, Name = "0"), BatchNorm(Name = "1"), ReLU6(Name = "2")]
    public partial Sequential Features18 { get; }

    [GlobalAvgPool, Dropout(0.2, Name = "0"), Dense(1000, Name = "1")]
    public partial Sequential Classifier { get; }
}

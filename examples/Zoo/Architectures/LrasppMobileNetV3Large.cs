using ModelDsl;
using TorchSharp.Modules;

namespace Zoo;

/// <summary>
/// torchvision's <c>segmentation.lraspp_mobilenet_v3_large(weights=None, weights_backbone=None)</c> (Howard et al.
/// 2019, §6.3): a MobileNetV3-Large backbone whose last stage is dilated instead of strided (1/16 of the input), and
/// the Lite R-ASPP head: a 1×1 convolution of the last features gated by a squeeze of their means, upsampled
/// bilinearly to the 1/8 features of stage 4, both classified by 1×1 convolutions and summed, then upsampled to the
/// input (align_corners false). One output, <c>out</c>.
/// </summary>
[Model(3, 224, 224)]
[RenameWeights("backbone.{n}", "features{n}"), RenameWeights("classifier.cbr", "cbr"), RenameWeights("classifier.scale", "scale")]
[RenameWeights("classifier.low_classifier", "lowClassifier.conv"), RenameWeights("classifier.high_classifier", "highClassifier.conv")]
public partial class LrasppMobileNetV3Large
{
    [Conv2d(16, 3, Stride = 2, Padding = 1, Bias = false, Name = "0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "1"), Hardswish(Name = "2")]
    public partial Sequential Features0 { get; }

    [Conv2d(16, 3, Padding = 1, Groups = 16, Bias = false, Name = "block.0.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.0.1"),
     ReLU(Name = "block.0.2"), Conv2d(16, 1, Bias = false, Name = "block.1.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.1.1")]
    public partial Sequential Features1 { get; }

    [Add(nameof(Features0), nameof(Features1))] public partial Sequential Sum1 { get; }

    [Conv2d(64, 1, Bias = false, Name = "block.0.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.0.1"), ReLU(Name = "block.0.2"),
     Conv2d(64, 3, Stride = 2, Padding = 1, Groups = 64, Bias = false, Name = "block.1.0"),
     BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.1.1"), ReLU(Name = "block.1.2"), Conv2d(24, 1, Bias = false, Name = "block.2.0"),
     BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.2.1")]
    public partial Sequential Features2 { get; }

    [Conv2d(72, 1, Bias = false, Name = "block.0.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.0.1"), ReLU(Name = "block.0.2"),
     Conv2d(72, 3, Padding = 1, Groups = 72, Bias = false, Name = "block.1.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.1.1"),
     ReLU(Name = "block.1.2"), Conv2d(24, 1, Bias = false, Name = "block.2.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.2.1")]
    public partial Sequential Features3 { get; }

    [Add(nameof(Features2), nameof(Features3))] public partial Sequential Sum3 { get; }

    [Conv2d(72, 1, Bias = false, Name = "block.0.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.0.1"), ReLU(Name = "block.0.2"),
     Conv2d(72, 5, Stride = 2, Padding = 2, Groups = 72, Bias = false, Name = "block.1.0"),
     BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.1.1"), ReLU(Name = "block.1.2"),
     SqueezeExcitation(24, ScaleActivation = SqueezeScale.Hardsigmoid, Name = "block.2"), Conv2d(40, 1, Bias = false, Name = "block.3.0"),
     BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.3.1")]
    public partial Sequential Features4 { get; }

    [Conv2d(120, 1, Bias = false, Name = "block.0.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.0.1"), ReLU(Name = "block.0.2"),
     Conv2d(120, 5, Padding = 2, Groups = 120, Bias = false, Name = "block.1.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.1.1"),
     ReLU(Name = "block.1.2"), SqueezeExcitation(32, ScaleActivation = SqueezeScale.Hardsigmoid, Name = "block.2"),
     Conv2d(40, 1, Bias = false, Name = "block.3.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.3.1")]
    public partial Sequential Features5 { get; }

    [Add(nameof(Features4), nameof(Features5))] public partial Sequential Sum5 { get; }

    [Conv2d(120, 1, Bias = false, Name = "block.0.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.0.1"), ReLU(Name = "block.0.2"),
     Conv2d(120, 5, Padding = 2, Groups = 120, Bias = false, Name = "block.1.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.1.1"),
     ReLU(Name = "block.1.2"), SqueezeExcitation(32, ScaleActivation = SqueezeScale.Hardsigmoid, Name = "block.2"),
     Conv2d(40, 1, Bias = false, Name = "block.3.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.3.1")]
    public partial Sequential Features6 { get; }

    [Add(nameof(Sum5), nameof(Features6))] public partial Sequential Sum6 { get; }

    [Conv2d(240, 1, Bias = false, Name = "block.0.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.0.1"), Hardswish(Name = "block.0.2"),
     Conv2d(240, 3, Stride = 2, Padding = 1, Groups = 240, Bias = false, Name = "block.1.0"),
     BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.1.1"), Hardswish(Name = "block.1.2"), Conv2d(80, 1, Bias = false, Name = "block.2.0"),
     BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.2.1")]
    public partial Sequential Features7 { get; }

    [Conv2d(200, 1, Bias = false, Name = "block.0.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.0.1"), Hardswish(Name = "block.0.2"),
     Conv2d(200, 3, Padding = 1, Groups = 200, Bias = false, Name = "block.1.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.1.1"),
     Hardswish(Name = "block.1.2"), Conv2d(80, 1, Bias = false, Name = "block.2.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.2.1")]
    public partial Sequential Features8 { get; }

    [Add(nameof(Features7), nameof(Features8))] public partial Sequential Sum8 { get; }

    [Conv2d(184, 1, Bias = false, Name = "block.0.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.0.1"), Hardswish(Name = "block.0.2"),
     Conv2d(184, 3, Padding = 1, Groups = 184, Bias = false, Name = "block.1.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.1.1"),
     Hardswish(Name = "block.1.2"), Conv2d(80, 1, Bias = false, Name = "block.2.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.2.1")]
    public partial Sequential Features9 { get; }

    [Add(nameof(Sum8), nameof(Features9))] public partial Sequential Sum9 { get; }

    [Conv2d(184, 1, Bias = false, Name = "block.0.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.0.1"), Hardswish(Name = "block.0.2"),
     Conv2d(184, 3, Padding = 1, Groups = 184, Bias = false, Name = "block.1.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.1.1"),
     Hardswish(Name = "block.1.2"), Conv2d(80, 1, Bias = false, Name = "block.2.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.2.1")]
    public partial Sequential Features10 { get; }

    [Add(nameof(Sum9), nameof(Features10))] public partial Sequential Sum10 { get; }

    [Conv2d(480, 1, Bias = false, Name = "block.0.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.0.1"), Hardswish(Name = "block.0.2"),
     Conv2d(480, 3, Padding = 1, Groups = 480, Bias = false, Name = "block.1.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.1.1"),
     Hardswish(Name = "block.1.2"), SqueezeExcitation(120, ScaleActivation = SqueezeScale.Hardsigmoid, Name = "block.2"),
     Conv2d(112, 1, Bias = false, Name = "block.3.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.3.1")]
    public partial Sequential Features11 { get; }

    [Conv2d(672, 1, Bias = false, Name = "block.0.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.0.1"), Hardswish(Name = "block.0.2"),
     Conv2d(672, 3, Padding = 1, Groups = 672, Bias = false, Name = "block.1.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.1.1"),
     Hardswish(Name = "block.1.2"), SqueezeExcitation(168, ScaleActivation = SqueezeScale.Hardsigmoid, Name = "block.2"),
     Conv2d(112, 1, Bias = false, Name = "block.3.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.3.1")]
    public partial Sequential Features12 { get; }

    [Add(nameof(Features11), nameof(Features12))] public partial Sequential Sum12 { get; }

    [Conv2d(672, 1, Bias = false, Name = "block.0.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.0.1"), Hardswish(Name = "block.0.2"),
     Conv2d(672, 5, Padding = 4, Dilation = 2, Groups = 672, Bias = false, Name = "block.1.0"),
     BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.1.1"), Hardswish(Name = "block.1.2"),
     SqueezeExcitation(168, ScaleActivation = SqueezeScale.Hardsigmoid, Name = "block.2"), Conv2d(160, 1, Bias = false, Name = "block.3.0"),
     BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.3.1")]
    public partial Sequential Features13 { get; }

    [Conv2d(960, 1, Bias = false, Name = "block.0.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.0.1"), Hardswish(Name = "block.0.2"),
     Conv2d(960, 5, Padding = 4, Dilation = 2, Groups = 960, Bias = false, Name = "block.1.0"),
     BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.1.1"), Hardswish(Name = "block.1.2"),
     SqueezeExcitation(240, ScaleActivation = SqueezeScale.Hardsigmoid, Name = "block.2"), Conv2d(160, 1, Bias = false, Name = "block.3.0"),
     BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.3.1")]
    public partial Sequential Features14 { get; }

    [Add(nameof(Features13), nameof(Features14))] public partial Sequential Sum14 { get; }

    [Conv2d(960, 1, Bias = false, Name = "block.0.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.0.1"), Hardswish(Name = "block.0.2"),
     Conv2d(960, 5, Padding = 4, Dilation = 2, Groups = 960, Bias = false, Name = "block.1.0"),
     BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.1.1"), Hardswish(Name = "block.1.2"),
     SqueezeExcitation(240, ScaleActivation = SqueezeScale.Hardsigmoid, Name = "block.2"), Conv2d(160, 1, Bias = false, Name = "block.3.0"),
     BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.3.1")]
    public partial Sequential Features15 { get; }

    [Add(nameof(Sum14), nameof(Features15))] public partial Sequential Sum15 { get; }

    [Conv2d(960, 1, Bias = false, Name = "0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "1"), Hardswish(Name = "2")]
    public partial Sequential Features16 { get; }

    [Conv2d(128, 1, Bias = false, Name = "0"), BatchNorm(Name = "1"), ReLU(Name = "2")]
    public partial Sequential Cbr { get; }

    [From(nameof(Features16)), AdaptiveAvgPool2d(1, Name = "0"), Conv2d(128, 1, Bias = false, Name = "1"), Sigmoid(Name = "2")]
    public partial Sequential Scale { get; }

    [Multiply(nameof(Cbr), nameof(Scale)), Upsample(SizeOf = nameof(Features4), Mode = Interpolation.Bilinear)]
    public partial Sequential Gated { get; }

    [From(nameof(Features4)), Conv2d(21, 1)]
    public partial Sequential LowClassifier { get; }

    [From(nameof(Gated)), Conv2d(21, 1)]
    public partial Sequential HighClassifier { get; }

    [Add(nameof(LowClassifier), nameof(HighClassifier)), Upsample(SizeOf = "input", Mode = Interpolation.Bilinear)]
    public partial Sequential Out { get; }
}

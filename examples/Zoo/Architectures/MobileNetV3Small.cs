using ModelDsl;
using TorchSharp.Modules;

namespace Zoo;

/// <summary>
/// torchvision's <c>mobilenet_v3_small</c> (Howard et al. 2019): a Hardswish stem, eleven inverted residuals (depthwise
/// 3×3 or 5×5, squeeze-excitation with a hard-sigmoid gate in most, ReLU or Hardswish), a 1×1 convolution to 576
/// channels, global average pooling and a Hardswish classifier. Batch norm ε = 0.001 and momentum 0.01, as torchvision's.
/// Each block carries torchvision's layer paths (<c>block.1.fc1</c>); a unit that keeps its shape adds its input
/// (<c>[Add]</c>). One numbered rename maps torchvision's <c>features</c> container onto the members.
/// </summary>
[Model(3, 224, 224)]
[RenameWeights("features.{n}", "features{n}")]
public partial class MobileNetV3Small
{
    [Conv2d(16, 3, Stride = 2, Padding = 1, Bias = false, Name = "0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "1"), Hardswish(Name = "2")]
    public partial Sequential Features0 { get; }

    [Conv2d(16, 3, Stride = 2, Padding = 1, Groups = 16, Bias = false, Name = "block.0.0"),
     BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.0.1"), ReLU(Name = "block.0.2"),
     SqueezeExcitation(8, ScaleActivation = SqueezeScale.Hardsigmoid, Name = "block.1"), Conv2d(16, 1, Bias = false, Name = "block.2.0"),
     BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.2.1")]
    public partial Sequential Features1 { get; }

    [Conv2d(72, 1, Bias = false, Name = "block.0.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.0.1"), ReLU(Name = "block.0.2"),
     Conv2d(72, 3, Stride = 2, Padding = 1, Groups = 72, Bias = false, Name = "block.1.0"),
     BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.1.1"), ReLU(Name = "block.1.2"), Conv2d(24, 1, Bias = false, Name = "block.2.0"),
     BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.2.1")]
    public partial Sequential Features2 { get; }

    [Conv2d(88, 1, Bias = false, Name = "block.0.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.0.1"), ReLU(Name = "block.0.2"),
     Conv2d(88, 3, Padding = 1, Groups = 88, Bias = false, Name = "block.1.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.1.1"),
     ReLU(Name = "block.1.2"), Conv2d(24, 1, Bias = false, Name = "block.2.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.2.1")]
    public partial Sequential Features3 { get; }

    [Add(nameof(Features2), nameof(Features3))] public partial Sequential Sum3 { get; }

    [Conv2d(96, 1, Bias = false, Name = "block.0.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.0.1"), Hardswish(Name = "block.0.2"),
     Conv2d(96, 5, Stride = 2, Padding = 2, Groups = 96, Bias = false, Name = "block.1.0"),
     BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.1.1"), Hardswish(Name = "block.1.2"),
     SqueezeExcitation(24, ScaleActivation = SqueezeScale.Hardsigmoid, Name = "block.2"), Conv2d(40, 1, Bias = false, Name = "block.3.0"),
     BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.3.1")]
    public partial Sequential Features4 { get; }

    [Conv2d(240, 1, Bias = false, Name = "block.0.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.0.1"), Hardswish(Name = "block.0.2"),
     Conv2d(240, 5, Padding = 2, Groups = 240, Bias = false, Name = "block.1.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.1.1"),
     Hardswish(Name = "block.1.2"), SqueezeExcitation(64, ScaleActivation = SqueezeScale.Hardsigmoid, Name = "block.2"),
     Conv2d(40, 1, Bias = false, Name = "block.3.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.3.1")]
    public partial Sequential Features5 { get; }

    [Add(nameof(Features4), nameof(Features5))] public partial Sequential Sum5 { get; }

    [Conv2d(240, 1, Bias = false, Name = "block.0.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.0.1"), Hardswish(Name = "block.0.2"),
     Conv2d(240, 5, Padding = 2, Groups = 240, Bias = false, Name = "block.1.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.1.1"),
     Hardswish(Name = "block.1.2"), SqueezeExcitation(64, ScaleActivation = SqueezeScale.Hardsigmoid, Name = "block.2"),
     Conv2d(40, 1, Bias = false, Name = "block.3.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.3.1")]
    public partial Sequential Features6 { get; }

    [Add(nameof(Sum5), nameof(Features6))] public partial Sequential Sum6 { get; }

    [Conv2d(120, 1, Bias = false, Name = "block.0.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.0.1"), Hardswish(Name = "block.0.2"),
     Conv2d(120, 5, Padding = 2, Groups = 120, Bias = false, Name = "block.1.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.1.1"),
     Hardswish(Name = "block.1.2"), SqueezeExcitation(32, ScaleActivation = SqueezeScale.Hardsigmoid, Name = "block.2"),
     Conv2d(48, 1, Bias = false, Name = "block.3.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.3.1")]
    public partial Sequential Features7 { get; }

    [Conv2d(144, 1, Bias = false, Name = "block.0.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.0.1"), Hardswish(Name = "block.0.2"),
     Conv2d(144, 5, Padding = 2, Groups = 144, Bias = false, Name = "block.1.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.1.1"),
     Hardswish(Name = "block.1.2"), SqueezeExcitation(40, ScaleActivation = SqueezeScale.Hardsigmoid, Name = "block.2"),
     Conv2d(48, 1, Bias = false, Name = "block.3.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.3.1")]
    public partial Sequential Features8 { get; }

    [Add(nameof(Features7), nameof(Features8))] public partial Sequential Sum8 { get; }

    [Conv2d(288, 1, Bias = false, Name = "block.0.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.0.1"), Hardswish(Name = "block.0.2"),
     Conv2d(288, 5, Stride = 2, Padding = 2, Groups = 288, Bias = false, Name = "block.1.0"),
     BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.1.1"), Hardswish(Name = "block.1.2"),
     SqueezeExcitation(72, ScaleActivation = SqueezeScale.Hardsigmoid, Name = "block.2"), Conv2d(96, 1, Bias = false, Name = "block.3.0"),
     BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.3.1")]
    public partial Sequential Features9 { get; }

    [Conv2d(576, 1, Bias = false, Name = "block.0.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.0.1"), Hardswish(Name = "block.0.2"),
     Conv2d(576, 5, Padding = 2, Groups = 576, Bias = false, Name = "block.1.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.1.1"),
     Hardswish(Name = "block.1.2"), SqueezeExcitation(144, ScaleActivation = SqueezeScale.Hardsigmoid, Name = "block.2"),
     Conv2d(96, 1, Bias = false, Name = "block.3.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.3.1")]
    public partial Sequential Features10 { get; }

    [Add(nameof(Features9), nameof(Features10))] public partial Sequential Sum10 { get; }

    [Conv2d(576, 1, Bias = false, Name = "block.0.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.0.1"), Hardswish(Name = "block.0.2"),
     Conv2d(576, 5, Padding = 2, Groups = 576, Bias = false, Name = "block.1.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.1.1"),
     Hardswish(Name = "block.1.2"), SqueezeExcitation(144, ScaleActivation = SqueezeScale.Hardsigmoid, Name = "block.2"),
     Conv2d(96, 1, Bias = false, Name = "block.3.0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "block.3.1")]
    public partial Sequential Features11 { get; }

    [Add(nameof(Sum10), nameof(Features11))] public partial Sequential Sum11 { get; }

    [Conv2d(576, 1, Bias = false, Name = "0"), BatchNorm(Eps = 0.001, Momentum = 0.01, Name = "1"), Hardswish(Name = "2")]
    public partial Sequential Features12 { get; }

    [GlobalAvgPool, Dense(1024, Name = "0"), Hardswish(Name = "1"), Dropout(0.2, Name = "2"), Dense(1000, Name = "3")]
    public partial Sequential Classifier { get; }
}

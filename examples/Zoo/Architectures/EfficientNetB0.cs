using ModelDsl;
using TorchSharp.Modules;

namespace Zoo;

/// <summary>
/// torchvision's <c>efficientnet_b0</c> (Tan and Le 2019): a SiLU stem, seven stages of MBConv units (optional 1×1
/// expansion, depthwise 3×3 or 5×5, squeeze-excitation with SiLU and a sigmoid gate, linear 1×1 projection; a unit that
/// keeps its shape adds its input after stochastic depth, whose rate grows linearly to 0.2 over the network), a 1×1
/// convolution to 1280 channels, global average pooling, dropout 0.2 and the classifier. Each unit carries
/// torchvision's layer paths (<c>block.1.0</c>); numbered renames map its <c>features</c> container onto the members.
/// </summary>
[Model(3, 224, 224)]
[RenameWeights("features.{n}.{n}", "stage{n}Unit{n}"), RenameWeights("features.0.0", "stem.0"), RenameWeights("features.0.1", "stem.1")]
[RenameWeights("features.8.0", "head.0"), RenameWeights("features.8.1", "head.1")]
public partial class EfficientNetB0
{
    [Conv2d(32, 3, Stride = 2, Padding = 1, Bias = false, Name = "0"), BatchNorm(Name = "1"), SiLU(Name = "2")]
    public partial Sequential Stem { get; }

    [Conv2d(32, 3, Padding = 1, Groups = 32, Bias = false, Name = "block.0.0"), BatchNorm(Name = "block.0.1"), SiLU(Name = "block.0.2"),
     SqueezeExcitation(8, Activation = SqueezeActivation.SiLU, Name = "block.1"), Conv2d(16, 1, Bias = false, Name = "block.2.0"),
     BatchNorm(Name = "block.2.1")]
    public partial Sequential Stage1Unit0 { get; }

    [Conv2d(96, 1, Bias = false, Name = "block.0.0"), BatchNorm(Name = "block.0.1"), SiLU(Name = "block.0.2"),
     Conv2d(96, 3, Stride = 2, Padding = 1, Groups = 96, Bias = false, Name = "block.1.0"), BatchNorm(Name = "block.1.1"), SiLU(Name = "block.1.2"),
     SqueezeExcitation(4, Activation = SqueezeActivation.SiLU, Name = "block.2"), Conv2d(24, 1, Bias = false, Name = "block.3.0"),
     BatchNorm(Name = "block.3.1")]
    public partial Sequential Stage2Unit0 { get; }

    [Conv2d(144, 1, Bias = false, Name = "block.0.0"), BatchNorm(Name = "block.0.1"), SiLU(Name = "block.0.2"),
     Conv2d(144, 3, Padding = 1, Groups = 144, Bias = false, Name = "block.1.0"), BatchNorm(Name = "block.1.1"), SiLU(Name = "block.1.2"),
     SqueezeExcitation(6, Activation = SqueezeActivation.SiLU, Name = "block.2"), Conv2d(24, 1, Bias = false, Name = "block.3.0"),
     BatchNorm(Name = "block.3.1"), StochasticDepth(0.025, Name = "stochastic_depth")]
    public partial Sequential Stage2Unit1 { get; }

    [Add(nameof(Stage2Unit0), nameof(Stage2Unit1))] public partial Sequential Sum2Unit1 { get; }

    [Conv2d(144, 1, Bias = false, Name = "block.0.0"), BatchNorm(Name = "block.0.1"), SiLU(Name = "block.0.2"),
     Conv2d(144, 5, Stride = 2, Padding = 2, Groups = 144, Bias = false, Name = "block.1.0"), BatchNorm(Name = "block.1.1"), SiLU(Name = "block.1.2"),
     SqueezeExcitation(6, Activation = SqueezeActivation.SiLU, Name = "block.2"), Conv2d(40, 1, Bias = false, Name = "block.3.0"),
     BatchNorm(Name = "block.3.1")]
    public partial Sequential Stage3Unit0 { get; }

    [Conv2d(240, 1, Bias = false, Name = "block.0.0"), BatchNorm(Name = "block.0.1"), SiLU(Name = "block.0.2"),
     Conv2d(240, 5, Padding = 2, Groups = 240, Bias = false, Name = "block.1.0"), BatchNorm(Name = "block.1.1"), SiLU(Name = "block.1.2"),
     SqueezeExcitation(10, Activation = SqueezeActivation.SiLU, Name = "block.2"), Conv2d(40, 1, Bias = false, Name = "block.3.0"),
     BatchNorm(Name = "block.3.1"), StochasticDepth(0.05, Name = "stochastic_depth")]
    public partial Sequential Stage3Unit1 { get; }

    [Add(nameof(Stage3Unit0), nameof(Stage3Unit1))] public partial Sequential Sum3Unit1 { get; }

    [Conv2d(240, 1, Bias = false, Name = "block.0.0"), BatchNorm(Name = "block.0.1"), SiLU(Name = "block.0.2"),
     Conv2d(240, 3, Stride = 2, Padding = 1, Groups = 240, Bias = false, Name = "block.1.0"), BatchNorm(Name = "block.1.1"), SiLU(Name = "block.1.2"),
     SqueezeExcitation(10, Activation = SqueezeActivation.SiLU, Name = "block.2"), Conv2d(80, 1, Bias = false, Name = "block.3.0"),
     BatchNorm(Name = "block.3.1")]
    public partial Sequential Stage4Unit0 { get; }

    [Conv2d(480, 1, Bias = false, Name = "block.0.0"), BatchNorm(Name = "block.0.1"), SiLU(Name = "block.0.2"),
     Conv2d(480, 3, Padding = 1, Groups = 480, Bias = false, Name = "block.1.0"), BatchNorm(Name = "block.1.1"), SiLU(Name = "block.1.2"),
     SqueezeExcitation(20, Activation = SqueezeActivation.SiLU, Name = "block.2"), Conv2d(80, 1, Bias = false, Name = "block.3.0"),
     BatchNorm(Name = "block.3.1"), StochasticDepth(0.075, Name = "stochastic_depth")]
    public partial Sequential Stage4Unit1 { get; }

    [Add(nameof(Stage4Unit0), nameof(Stage4Unit1))] public partial Sequential Sum4Unit1 { get; }

    [Conv2d(480, 1, Bias = false, Name = "block.0.0"), BatchNorm(Name = "block.0.1"), SiLU(Name = "block.0.2"),
     Conv2d(480, 3, Padding = 1, Groups = 480, Bias = false, Name = "block.1.0"), BatchNorm(Name = "block.1.1"), SiLU(Name = "block.1.2"),
     SqueezeExcitation(20, Activation = SqueezeActivation.SiLU, Name = "block.2"), Conv2d(80, 1, Bias = false, Name = "block.3.0"),
     BatchNorm(Name = "block.3.1"), StochasticDepth(0.0875, Name = "stochastic_depth")]
    public partial Sequential Stage4Unit2 { get; }

    [Add(nameof(Sum4Unit1), nameof(Stage4Unit2))] public partial Sequential Sum4Unit2 { get; }

    [Conv2d(480, 1, Bias = false, Name = "block.0.0"), BatchNorm(Name = "block.0.1"), SiLU(Name = "block.0.2"),
     Conv2d(480, 5, Padding = 2, Groups = 480, Bias = false, Name = "block.1.0"), BatchNorm(Name = "block.1.1"), SiLU(Name = "block.1.2"),
     SqueezeExcitation(20, Activation = SqueezeActivation.SiLU, Name = "block.2"), Conv2d(112, 1, Bias = false, Name = "block.3.0"),
     BatchNorm(Name = "block.3.1")]
    public partial Sequential Stage5Unit0 { get; }

    [Conv2d(672, 1, Bias = false, Name = "block.0.0"), BatchNorm(Name = "block.0.1"), SiLU(Name = "block.0.2"),
     Conv2d(672, 5, Padding = 2, Groups = 672, Bias = false, Name = "block.1.0"), BatchNorm(Name = "block.1.1"), SiLU(Name = "block.1.2"),
     SqueezeExcitation(28, Activation = SqueezeActivation.SiLU, Name = "block.2"), Conv2d(112, 1, Bias = false, Name = "block.3.0"),
     BatchNorm(Name = "block.3.1"), StochasticDepth(0.1125, Name = "stochastic_depth")]
    public partial Sequential Stage5Unit1 { get; }

    [Add(nameof(Stage5Unit0), nameof(Stage5Unit1))] public partial Sequential Sum5Unit1 { get; }

    [Conv2d(672, 1, Bias = false, Name = "block.0.0"), BatchNorm(Name = "block.0.1"), SiLU(Name = "block.0.2"),
     Conv2d(672, 5, Padding = 2, Groups = 672, Bias = false, Name = "block.1.0"), BatchNorm(Name = "block.1.1"), SiLU(Name = "block.1.2"),
     SqueezeExcitation(28, Activation = SqueezeActivation.SiLU, Name = "block.2"), Conv2d(112, 1, Bias = false, Name = "block.3.0"),
     BatchNorm(Name = "block.3.1"), StochasticDepth(0.125, Name = "stochastic_depth")]
    public partial Sequential Stage5Unit2 { get; }

    [Add(nameof(Sum5Unit1), nameof(Stage5Unit2))] public partial Sequential Sum5Unit2 { get; }

    [Conv2d(672, 1, Bias = false, Name = "block.0.0"), BatchNorm(Name = "block.0.1"), SiLU(Name = "block.0.2"),
     Conv2d(672, 5, Stride = 2, Padding = 2, Groups = 672, Bias = false, Name = "block.1.0"), BatchNorm(Name = "block.1.1"), SiLU(Name = "block.1.2"),
     SqueezeExcitation(28, Activation = SqueezeActivation.SiLU, Name = "block.2"), Conv2d(192, 1, Bias = false, Name = "block.3.0"),
     BatchNorm(Name = "block.3.1")]
    public partial Sequential Stage6Unit0 { get; }

    [Conv2d(1152, 1, Bias = false, Name = "block.0.0"), BatchNorm(Name = "block.0.1"), SiLU(Name = "block.0.2"),
     Conv2d(1152, 5, Padding = 2, Groups = 1152, Bias = false, Name = "block.1.0"), BatchNorm(Name = "block.1.1"), SiLU(Name = "block.1.2"),
     SqueezeExcitation(48, Activation = SqueezeActivation.SiLU, Name = "block.2"), Conv2d(192, 1, Bias = false, Name = "block.3.0"),
     BatchNorm(Name = "block.3.1"), StochasticDepth(0.15, Name = "stochastic_depth")]
    public partial Sequential Stage6Unit1 { get; }

    [Add(nameof(Stage6Unit0), nameof(Stage6Unit1))] public partial Sequential Sum6Unit1 { get; }

    [Conv2d(1152, 1, Bias = false, Name = "block.0.0"), BatchNorm(Name = "block.0.1"), SiLU(Name = "block.0.2"),
     Conv2d(1152, 5, Padding = 2, Groups = 1152, Bias = false, Name = "block.1.0"), BatchNorm(Name = "block.1.1"), SiLU(Name = "block.1.2"),
     SqueezeExcitation(48, Activation = SqueezeActivation.SiLU, Name = "block.2"), Conv2d(192, 1, Bias = false, Name = "block.3.0"),
     BatchNorm(Name = "block.3.1"), StochasticDepth(0.1625, Name = "stochastic_depth")]
    public partial Sequential Stage6Unit2 { get; }

    [Add(nameof(Sum6Unit1), nameof(Stage6Unit2))] public partial Sequential Sum6Unit2 { get; }

    [Conv2d(1152, 1, Bias = false, Name = "block.0.0"), BatchNorm(Name = "block.0.1"), SiLU(Name = "block.0.2"),
     Conv2d(1152, 5, Padding = 2, Groups = 1152, Bias = false, Name = "block.1.0"), BatchNorm(Name = "block.1.1"), SiLU(Name = "block.1.2"),
     SqueezeExcitation(48, Activation = SqueezeActivation.SiLU, Name = "block.2"), Conv2d(192, 1, Bias = false, Name = "block.3.0"),
     BatchNorm(Name = "block.3.1"), StochasticDepth(0.175, Name = "stochastic_depth")]
    public partial Sequential Stage6Unit3 { get; }

    [Add(nameof(Sum6Unit2), nameof(Stage6Unit3))] public partial Sequential Sum6Unit3 { get; }

    [Conv2d(1152, 1, Bias = false, Name = "block.0.0"), BatchNorm(Name = "block.0.1"), SiLU(Name = "block.0.2"),
     Conv2d(1152, 3, Padding = 1, Groups = 1152, Bias = false, Name = "block.1.0"), BatchNorm(Name = "block.1.1"), SiLU(Name = "block.1.2"),
     SqueezeExcitation(48, Activation = SqueezeActivation.SiLU, Name = "block.2"), Conv2d(320, 1, Bias = false, Name = "block.3.0"),
     BatchNorm(Name = "block.3.1")]
    public partial Sequential Stage7Unit0 { get; }

    [Conv2d(1280, 1, Bias = false, Name = "0"), BatchNorm(Name = "1"), SiLU(Name = "2")]
    public partial Sequential Head { get; }

    [GlobalAvgPool, Dropout(0.2, Name = "0"), Dense(1000, Name = "1")]
    public partial Sequential Classifier { get; }
}

using TorchSharp.Modules;
using static ModelDsl.Init;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// ResNet-50's layout in the DSL (He et al. 2016, table 1; torchvision's resnet50 v1.5 with the stride in the 3×3
/// convolution): a 7×7 stem, bottleneck stages of 3, 4, 6 and 3 units (1×1 → 3×3 → 1×1 convolutions with BatchNorm, widths
/// 64/128/256/512 expanded ×4), projection shortcuts where the shape changes, and a 1000-class head: 25,557,032 parameters,
/// the same as torchvision's. The stem's pooling is MaxPool2d(2) (the DSL's max pooling has no padding), which changes
/// the feature-map sizes but no parameter. Used by the <c>weights</c> measurement.
/// </summary>
[Model(3, 224, 224)]
[Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false, Init = He), BatchNorm, ReLU, MaxPool2d(2)]
public partial class ResNet50
{
    [Residual(Repeat = 3, Activation = Activation.ReLU)]
    [Conv2d(64, 1, Bias = false, Init = He), BatchNorm, ReLU, Conv2d(64, 3, Padding = 1, Bias = false, Init = He), BatchNorm, ReLU, Conv2d(256, 1, Bias = false, Init = He), BatchNorm]
    public partial Sequential Layer1 { get; }

    [Residual(Repeat = 4, Activation = Activation.ReLU)]
    [Conv2d(128, 1, Bias = false, Init = He), BatchNorm, ReLU, Conv2d(128, 3, Stride = 2, Padding = 1, Bias = false, Init = He), BatchNorm, ReLU, Conv2d(512, 1, Bias = false, Init = He), BatchNorm]
    public partial Sequential Layer2 { get; }

    [Residual(Repeat = 6, Activation = Activation.ReLU)]
    [Conv2d(256, 1, Bias = false, Init = He), BatchNorm, ReLU, Conv2d(256, 3, Stride = 2, Padding = 1, Bias = false, Init = He), BatchNorm, ReLU, Conv2d(1024, 1, Bias = false, Init = He), BatchNorm]
    public partial Sequential Layer3 { get; }

    [Residual(Repeat = 3, Activation = Activation.ReLU)]
    [Conv2d(512, 1, Bias = false, Init = He), BatchNorm, ReLU, Conv2d(512, 3, Stride = 2, Padding = 1, Bias = false, Init = He), BatchNorm, ReLU, Conv2d(2048, 1, Bias = false, Init = He), BatchNorm]
    public partial Sequential Layer4 { get; }

    [GlobalAvgPool, Dense(1000)]
    public partial Sequential Head { get; }
}

using ModelDsl;
using TorchSharp.Modules;

namespace Zoo;

/// <summary>
/// torchvision's <c>resnet50</c> (He et al. 2016, with torchvision's ResNet v1.5 stride on the 3×3 convolution):
/// Bottleneck stages of 3, 4, 6 and 3 units, each 1×1 → 3×3 → 1×1 with 4× expansion. A projection shortcut (1×1
/// convolution and batch norm) where a unit changes the shape, which torchvision calls <c>downsample</c>.
/// </summary>
[Model(3, 224, 224)]
[RenameWeights("fc", "head.fc")]
[RenameWeights("layer{n}.0.downsample.0", "layer{n}.0.shortcut.conv"), RenameWeights("layer{n}.0.downsample.1", "layer{n}.0.shortcut.batchnorm")]
[Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false, Name = "conv1"), BatchNorm(Name = "bn1"), ReLU, MaxPool2d(3, Stride = 2, Padding = 1)]
public partial class ResNet50
{
    [Residual(Repeat = 3, Activation = Activation.ReLU)]
    [Conv2d(64, 1, Bias = false, Name = "conv1"), BatchNorm(Name = "bn1"), ReLU,
     Conv2d(64, 3, Padding = 1, Bias = false, Name = "conv2"), BatchNorm(Name = "bn2"), ReLU,
     Conv2d(256, 1, Bias = false, Name = "conv3"), BatchNorm(Name = "bn3")]
    public partial Sequential Layer1 { get; }

    [Residual(Repeat = 4, Activation = Activation.ReLU)]
    [Conv2d(128, 1, Bias = false, Name = "conv1"), BatchNorm(Name = "bn1"), ReLU,
     Conv2d(128, 3, Stride = 2, Padding = 1, Bias = false, Name = "conv2"), BatchNorm(Name = "bn2"), ReLU,
     Conv2d(512, 1, Bias = false, Name = "conv3"), BatchNorm(Name = "bn3")]
    public partial Sequential Layer2 { get; }

    [Residual(Repeat = 6, Activation = Activation.ReLU)]
    [Conv2d(256, 1, Bias = false, Name = "conv1"), BatchNorm(Name = "bn1"), ReLU,
     Conv2d(256, 3, Stride = 2, Padding = 1, Bias = false, Name = "conv2"), BatchNorm(Name = "bn2"), ReLU,
     Conv2d(1024, 1, Bias = false, Name = "conv3"), BatchNorm(Name = "bn3")]
    public partial Sequential Layer3 { get; }

    [Residual(Repeat = 3, Activation = Activation.ReLU)]
    [Conv2d(512, 1, Bias = false, Name = "conv1"), BatchNorm(Name = "bn1"), ReLU,
     Conv2d(512, 3, Stride = 2, Padding = 1, Bias = false, Name = "conv2"), BatchNorm(Name = "bn2"), ReLU,
     Conv2d(2048, 1, Bias = false, Name = "conv3"), BatchNorm(Name = "bn3")]
    public partial Sequential Layer4 { get; }

    [GlobalAvgPool, Dense(1000, Name = "fc")]
    public partial Sequential Head { get; }
}

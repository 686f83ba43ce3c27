using ModelDsl;
using TorchSharp.Modules;

namespace Zoo;

/// <summary>torchvision's <c>resnet18</c> (He et al. 2016): BasicBlock stages of 2 units, 64 to 512 channels.</summary>
[Model(3, 224, 224)]
[RenameWeights("fc", "head.fc")]
[RenameWeights("layer{n}.0.downsample.0", "layer{n}.0.shortcut.conv"), RenameWeights("layer{n}.0.downsample.1", "layer{n}.0.shortcut.batchnorm")]
[Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false, Name = "conv1"), BatchNorm(Name = "bn1"), ReLU, MaxPool2d(3, Stride = 2, Padding = 1)]
public partial class ResNet18
{
    [Residual(Repeat = 2, Activation = Activation.ReLU)]
    [Conv2d(64, 3, Padding = 1, Bias = false, Name = "conv1"), BatchNorm(Name = "bn1"), ReLU, Conv2d(64, 3, Padding = 1, Bias = false, Name = "conv2"), BatchNorm(Name = "bn2")]
    public partial Sequential Layer1 { get; }

    [Residual(Repeat = 2, Activation = Activation.ReLU)]
    [Conv2d(128, 3, Stride = 2, Padding = 1, Bias = false, Name = "conv1"), BatchNorm(Name = "bn1"), ReLU, Conv2d(128, 3, Padding = 1, Bias = false, Name = "conv2"), BatchNorm(Name = "bn2")]
    public partial Sequential Layer2 { get; }

    [Residual(Repeat = 2, Activation = Activation.ReLU)]
    [Conv2d(256, 3, Stride = 2, Padding = 1, Bias = false, Name = "conv1"), BatchNorm(Name = "bn1"), ReLU, Conv2d(256, 3, Padding = 1, Bias = false, Name = "conv2"), BatchNorm(Name = "bn2")]
    public partial Sequential Layer3 { get; }

    [Residual(Repeat = 2, Activation = Activation.ReLU)]
    [Conv2d(512, 3, Stride = 2, Padding = 1, Bias = false, Name = "conv1"), BatchNorm(Name = "bn1"), ReLU, Conv2d(512, 3, Padding = 1, Bias = false, Name = "conv2"), BatchNorm(Name = "bn2")]
    public partial Sequential Layer4 { get; }

    [GlobalAvgPool, Dense(1000, Name = "fc")]
    public partial Sequential Head { get; }
}

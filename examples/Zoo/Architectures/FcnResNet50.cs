using ModelDsl;
using TorchSharp.Modules;

namespace Zoo;

/// <summary>
/// torchvision's <c>segmentation.fcn_resnet50(weights=None, weights_backbone=None, aux_loss=True)</c> (Long et al. 2015
/// on a dilated ResNet-50): the ResNet-50 backbone with the strides of its last two stages replaced by dilation 2 and
/// 4 (each stage's first unit keeps the previous dilation), so the map stays at 1/8 of the input; an FCN head on the
/// last stage (<c>out</c>) and an auxiliary one on the third (<c>aux</c>), each upsampled bilinearly (align_corners
/// false) to the input's 224 × 224. Two outputs, so the forward returns the generated <c>Outputs</c> record.
/// </summary>
[Model(3, 224, 224)]
[RenameWeights("backbone.conv1", "conv1"), RenameWeights("backbone.bn1", "bn1"), RenameWeights("backbone.layer{n}", "layer{n}")]
[RenameWeights("backbone.layer{n}.0.downsample.0", "layer{n}.0.shortcut.conv"), RenameWeights("backbone.layer{n}.0.downsample.1", "layer{n}.0.shortcut.batchnorm")]
[RenameWeights("classifier", "out"), RenameWeights("aux_classifier", "aux")]
[Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false, Name = "conv1"), BatchNorm(Name = "bn1"), ReLU, MaxPool2d(3, Stride = 2, Padding = 1)]
public partial class FcnResNet50
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

    [Residual(Repeat = 6, Activation = Activation.ReLU, FirstDilation = 1)]
    [Conv2d(256, 1, Bias = false, Name = "conv1"), BatchNorm(Name = "bn1"), ReLU,
     Conv2d(256, 3, Padding = 2, Dilation = 2, Bias = false, Name = "conv2"), BatchNorm(Name = "bn2"), ReLU,
     Conv2d(1024, 1, Bias = false, Name = "conv3"), BatchNorm(Name = "bn3")]
    public partial Sequential Layer3 { get; }

    [Residual(Repeat = 3, Activation = Activation.ReLU, FirstDilation = 2)]
    [Conv2d(512, 1, Bias = false, Name = "conv1"), BatchNorm(Name = "bn1"), ReLU,
     Conv2d(512, 3, Padding = 4, Dilation = 4, Bias = false, Name = "conv2"), BatchNorm(Name = "bn2"), ReLU,
     Conv2d(2048, 1, Bias = false, Name = "conv3"), BatchNorm(Name = "bn3")]
    public partial Sequential Layer4 { get; }

    [Conv2d(512, 3, Padding = 1, Bias = false, Name = "0"), BatchNorm(Name = "1"), ReLU(Name = "2"), Dropout(0.1, Name = "3"), Conv2d(21, 1, Name = "4"),
     Upsample(SizeOf = "input", Mode = Interpolation.Bilinear), Output]
    public partial Sequential Out { get; }

    [From(nameof(Layer3)), Conv2d(256, 3, Padding = 1, Bias = false, Name = "0"), BatchNorm(Name = "1"), ReLU(Name = "2"), Dropout(0.1, Name = "3"), Conv2d(21, 1, Name = "4"),
     Upsample(SizeOf = "input", Mode = Interpolation.Bilinear), Output]
    public partial Sequential Aux { get; }
}

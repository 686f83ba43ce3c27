using ModelDsl;
using TorchSharp.Modules;

namespace Zoo;

/// <summary>
/// GoogLeNet's Inception module (Szegedy et al. 2015) as torchvision builds it: four branches of BasicConv2d
/// (convolution without bias, batch norm with ε = 0.001, ReLU) concatenated along channels. torchvision's "5×5" branch
/// uses a 3×3 kernel (a known difference from the paper that its weights keep), and so does this one. Layer names are
/// torchvision's paths (<c>branch2.0.conv</c>), so the keys are its own.
/// </summary>
[Block]
public partial class Inception
{
    public const int Ch1x1 = 64, Ch3x3Red = 96, Ch3x3 = 128, Ch5x5Red = 16, Ch5x5 = 32, PoolProj = 32;   // torchvision's parameters

    [Conv2d(Ch1x1, 1, Bias = false, Name = "conv"), BatchNorm(Eps = 0.001, Name = "bn"), ReLU]
    public partial Sequential Branch1 { get; }

    [From("input"), Conv2d(Ch3x3Red, 1, Bias = false, Name = "0.conv"), BatchNorm(Eps = 0.001, Name = "0.bn"), ReLU,
     Conv2d(Ch3x3, 3, Padding = 1, Bias = false, Name = "1.conv"), BatchNorm(Eps = 0.001, Name = "1.bn"), ReLU]
    public partial Sequential Branch2 { get; }

    [From("input"), Conv2d(Ch5x5Red, 1, Bias = false, Name = "0.conv"), BatchNorm(Eps = 0.001, Name = "0.bn"), ReLU,
     Conv2d(Ch5x5, 3, Padding = 1, Bias = false, Name = "1.conv"), BatchNorm(Eps = 0.001, Name = "1.bn"), ReLU]
    public partial Sequential Branch3 { get; }

    [From("input"), MaxPool2d(3, Stride = 1, Padding = 1, CeilMode = true), Conv2d(PoolProj, 1, Bias = false, Name = "1.conv"), BatchNorm(Eps = 0.001, Name = "1.bn"), ReLU]
    public partial Sequential Branch4 { get; }

    [Concatenate(nameof(Branch1), nameof(Branch2), nameof(Branch3), nameof(Branch4))]
    public partial Sequential Joined { get; }
}

/// <summary>
/// torchvision's <c>googlenet(aux_logits=False, init_weights=True)</c> (Szegedy et al. 2015, with batch norm): a stem of
/// three BasicConv2d and two max pools (ceil mode), nine Inception modules in three stages, global average pooling,
/// dropout 0.2 and the classifier.
/// </summary>
[Model(3, 224, 224)]
[RenameWeights("fc", "head.fc")]
public partial class GoogLeNet
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false, Name = "conv"), BatchNorm(Eps = 0.001, Name = "bn"), ReLU] public partial Sequential Conv1 { get; }
    [MaxPool2d(3, Stride = 2, CeilMode = true)] public partial Sequential Maxpool1 { get; }
    [Conv2d(64, 1, Bias = false, Name = "conv"), BatchNorm(Eps = 0.001, Name = "bn"), ReLU] public partial Sequential Conv2 { get; }
    [Conv2d(192, 3, Padding = 1, Bias = false, Name = "conv"), BatchNorm(Eps = 0.001, Name = "bn"), ReLU] public partial Sequential Conv3 { get; }
    [MaxPool2d(3, Stride = 2, CeilMode = true)] public partial Sequential Maxpool2 { get; }
    [With(nameof(Inception.Ch1x1), 64, nameof(Inception.Ch3x3Red), 96, nameof(Inception.Ch3x3), 128, nameof(Inception.Ch5x5Red), 16, nameof(Inception.Ch5x5), 32, nameof(Inception.PoolProj), 32)]
    public partial Inception Inception3a { get; }
    [With(nameof(Inception.Ch1x1), 128, nameof(Inception.Ch3x3Red), 128, nameof(Inception.Ch3x3), 192, nameof(Inception.Ch5x5Red), 32, nameof(Inception.Ch5x5), 96, nameof(Inception.PoolProj), 64)]
    public partial Inception Inception3b { get; }
    [MaxPool2d(3, Stride = 2, CeilMode = true)] public partial Sequential Maxpool3 { get; }
    [With(nameof(Inception.Ch1x1), 192, nameof(Inception.Ch3x3Red), 96, nameof(Inception.Ch3x3), 208, nameof(Inception.Ch5x5Red), 16, nameof(Inception.Ch5x5), 48, nameof(Inception.PoolProj), 64)]
    public partial Inception Inception4a { get; }
    [With(nameof(Inception.Ch1x1), 160, nameof(Inception.Ch3x3Red), 112, nameof(Inception.Ch3x3), 224, nameof(Inception.Ch5x5Red), 24, nameof(Inception.Ch5x5), 64, nameof(Inception.PoolProj), 64)]
    public partial Inception Inception4b { get; }
    [With(nameof(Inception.Ch1x1), 128, nameof(Inception.Ch3x3Red), 128, nameof(Inception.Ch3x3), 256, nameof(Inception.Ch5x5Red), 24, nameof(Inception.Ch5x5), 64, nameof(Inception.PoolProj), 64)]
    public partial Inception Inception4c { get; }
    [With(nameof(Inception.Ch1x1), 112, nameof(Inception.Ch3x3Red), 144, nameof(Inception.Ch3x3), 288, nameof(Inception.Ch5x5Red), 32, nameof(Inception.Ch5x5), 64, nameof(Inception.PoolProj), 64)]
    public partial Inception Inception4d { get; }
    [With(nameof(Inception.Ch1x1), 256, nameof(Inception.Ch3x3Red), 160, nameof(Inception.Ch3x3), 320, nameof(Inception.Ch5x5Red), 32, nameof(Inception.Ch5x5), 128, nameof(Inception.PoolProj), 128)]
    public partial Inception Inception4e { get; }
    [MaxPool2d(2, Stride = 2, CeilMode = true)] public partial Sequential Maxpool4 { get; }
    [With(nameof(Inception.Ch1x1), 256, nameof(Inception.Ch3x3Red), 160, nameof(Inception.Ch3x3), 320, nameof(Inception.Ch5x5Red), 32, nameof(Inception.Ch5x5), 128, nameof(Inception.PoolProj), 128)]
    public partial Inception Inception5a { get; }
    [With(nameof(Inception.Ch1x1), 384, nameof(Inception.Ch3x3Red), 192, nameof(Inception.Ch3x3), 384, nameof(Inception.Ch5x5Red), 48, nameof(Inception.Ch5x5), 128, nameof(Inception.PoolProj), 128)]
    public partial Inception Inception5b { get; }
    [GlobalAvgPool, Dropout(0.2), Dense(1000, Name = "fc")] public partial Sequential Head { get; }
}

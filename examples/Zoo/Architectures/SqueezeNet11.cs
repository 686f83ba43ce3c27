using ModelDsl;
using TorchSharp.Modules;

namespace Zoo;

/// <summary>
/// SqueezeNet's Fire module (Iandola et al. 2016), as torchvision's: a 1×1 squeeze, then 1×1 and 3×3 expands of the
/// squeezed map, concatenated along channels.
/// </summary>
[Block]
public partial class Fire
{
    public const int SqueezePlanes = 16, Expand1x1Planes = 64, Expand3x3Planes = 64;   // torchvision's parameters; each use gives its own

    [Conv2d(SqueezePlanes, 1), ReLU] public partial Sequential Squeeze { get; }
    [Conv2d(Expand1x1Planes, 1), ReLU] public partial Sequential Expand1x1 { get; }
    [From(nameof(Squeeze)), Conv2d(Expand3x3Planes, 3, Padding = 1), ReLU] public partial Sequential Expand3x3 { get; }
    [Concatenate(nameof(Expand1x1), nameof(Expand3x3))] public partial Sequential Joined { get; }
}

/// <summary>
/// torchvision's <c>squeezenet1_1</c>: a stride-2 stem, eight Fire modules with max pooling (ceil mode) after the stem,
/// the second and the fourth, and a 1×1 convolution classifier averaged over the map. torchvision keeps every module
/// in <c>features</c> by index; the renames map those names to the blocks'.
/// </summary>
[Model(3, 224, 224)]
[RenameWeights("features.0", "stem.conv"), RenameWeights("classifier.1", "classifier.conv")]
[RenameWeights("features.{n}.squeeze", "fire{n}.squeeze.conv"), RenameWeights("features.{n}.expand1x1", "fire{n}.expand1x1.conv"), RenameWeights("features.{n}.expand3x3", "fire{n}.expand3x3.conv")]
public partial class SqueezeNet11
{
    [Conv2d(64, 3, Stride = 2), ReLU, MaxPool2d(3, Stride = 2, CeilMode = true)] public partial Sequential Stem { get; }
    [With(nameof(Fire.SqueezePlanes), 16, nameof(Fire.Expand1x1Planes), 64, nameof(Fire.Expand3x3Planes), 64)] public partial Fire Fire3 { get; }
    [With(nameof(Fire.SqueezePlanes), 16, nameof(Fire.Expand1x1Planes), 64, nameof(Fire.Expand3x3Planes), 64)] public partial Fire Fire4 { get; }
    [MaxPool2d(3, Stride = 2, CeilMode = true)] public partial Sequential Pool5 { get; }
    [With(nameof(Fire.SqueezePlanes), 32, nameof(Fire.Expand1x1Planes), 128, nameof(Fire.Expand3x3Planes), 128)] public partial Fire Fire6 { get; }
    [With(nameof(Fire.SqueezePlanes), 32, nameof(Fire.Expand1x1Planes), 128, nameof(Fire.Expand3x3Planes), 128)] public partial Fire Fire7 { get; }
    [MaxPool2d(3, Stride = 2, CeilMode = true)] public partial Sequential Pool8 { get; }
    [With(nameof(Fire.SqueezePlanes), 48, nameof(Fire.Expand1x1Planes), 192, nameof(Fire.Expand3x3Planes), 192)] public partial Fire Fire9 { get; }
    [With(nameof(Fire.SqueezePlanes), 48, nameof(Fire.Expand1x1Planes), 192, nameof(Fire.Expand3x3Planes), 192)] public partial Fire Fire10 { get; }
    [With(nameof(Fire.SqueezePlanes), 64, nameof(Fire.Expand1x1Planes), 256, nameof(Fire.Expand3x3Planes), 256)] public partial Fire Fire11 { get; }
    [With(nameof(Fire.SqueezePlanes), 64, nameof(Fire.Expand1x1Planes), 256, nameof(Fire.Expand3x3Planes), 256)] public partial Fire Fire12 { get; }
    [Dropout(0.5), Conv2d(1000, 1), ReLU, GlobalAvgPool] public partial Sequential Classifier { get; }
}

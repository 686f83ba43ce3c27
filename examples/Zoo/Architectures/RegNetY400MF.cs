using ModelDsl;
using TorchSharp.Modules;

namespace Zoo;

/// <summary>
/// RegNet's Y block (Radosavovic et al. 2020) as torchvision's <c>ResBottleneckBlock</c> that keeps its shape: the
/// transform <c>f</c> (1×1, grouped 3×3 with <see cref="Groups"/> groups, squeeze-excitation, 1×1, each with batch norm)
/// added to the input, then ReLU.
/// </summary>
[Block]
public partial class RegNetBlock
{
    public const int Width = 104, Groups = 13, Squeeze = 26;

    [Conv2d(Width, 1, Bias = false, Name = "a.0"), BatchNorm(Name = "a.1"), ReLU(Name = "a.2"),
     Conv2d(Width, 3, Stride = 1, Padding = 1, Groups = Groups, Bias = false, Name = "b.0"), BatchNorm(Name = "b.1"), ReLU(Name = "b.2"),
     SqueezeExcitation(Squeeze, Name = "se"), Conv2d(Width, 1, Bias = false, Name = "c.0"), BatchNorm(Name = "c.1")]
    public partial Sequential F { get; }

    [Add("input", nameof(F)), ReLU(Name = "activation")]
    public partial Sequential Sum { get; }
}

/// <summary>The first RegNet block of a stage: strided, wider, so the input goes through <c>proj</c> (1×1 convolution and batch norm).</summary>
[Block]
public partial class RegNetBlockProjected
{
    public const int Width = 48, Groups = 6, Squeeze = 8, Stride = 2;

    [Conv2d(Width, 1, Stride = Stride, Bias = false, Name = "0"), BatchNorm(Name = "1")]
    public partial Sequential Proj { get; }

    [From("input"), Conv2d(Width, 1, Bias = false, Name = "a.0"), BatchNorm(Name = "a.1"), ReLU(Name = "a.2"),
     Conv2d(Width, 3, Stride = Stride, Padding = 1, Groups = Groups, Bias = false, Name = "b.0"), BatchNorm(Name = "b.1"), ReLU(Name = "b.2"),
     SqueezeExcitation(Squeeze, Name = "se"), Conv2d(Width, 1, Bias = false, Name = "c.0"), BatchNorm(Name = "c.1")]
    public partial Sequential F { get; }

    [Add(nameof(Proj), nameof(F)), ReLU(Name = "activation")]
    public partial Sequential Sum { get; }
}

/// <summary>
/// torchvision's <c>regnet_y_400mf</c>: a stride-2 stem, four stages of 1, 3, 6 and 6 Y blocks (widths 48, 104, 208,
/// 440; group width 8; squeeze-excitation to a quarter of the stage input), global average pooling and the classifier.
/// Renames map torchvision's <c>trunk_output.blockS.blockS-U</c> names onto the members.
/// </summary>
[Model(3, 224, 224)]
[RenameWeights("trunk_output.block1.block1-{n}", "stage1Block{n}")]
[RenameWeights("trunk_output.block2.block2-{n}", "stage2Block{n}")]
[RenameWeights("trunk_output.block3.block3-{n}", "stage3Block{n}")]
[RenameWeights("trunk_output.block4.block4-{n}", "stage4Block{n}")]
[RenameWeights("fc", "head.fc")]
public partial class RegNetY400MF
{
    [Conv2d(32, 3, Stride = 2, Padding = 1, Bias = false, Name = "0"), BatchNorm(Name = "1"), ReLU(Name = "2")]
    public partial Sequential Stem { get; }

    [With(nameof(RegNetBlockProjected.Width), 48, nameof(RegNetBlockProjected.Groups), 6, nameof(RegNetBlockProjected.Squeeze), 8, nameof(RegNetBlockProjected.Stride), 2)] public partial RegNetBlockProjected Stage1Block0 { get; }
    [With(nameof(RegNetBlockProjected.Width), 104, nameof(RegNetBlockProjected.Groups), 13, nameof(RegNetBlockProjected.Squeeze), 12, nameof(RegNetBlockProjected.Stride), 2)] public partial RegNetBlockProjected Stage2Block0 { get; }
    [With(nameof(RegNetBlock.Width), 104, nameof(RegNetBlock.Groups), 13, nameof(RegNetBlock.Squeeze), 26)] public partial RegNetBlock Stage2Block1 { get; }
    [With(nameof(RegNetBlock.Width), 104, nameof(RegNetBlock.Groups), 13, nameof(RegNetBlock.Squeeze), 26)] public partial RegNetBlock Stage2Block2 { get; }
    [With(nameof(RegNetBlockProjected.Width), 208, nameof(RegNetBlockProjected.Groups), 26, nameof(RegNetBlockProjected.Squeeze), 26, nameof(RegNetBlockProjected.Stride), 2)] public partial RegNetBlockProjected Stage3Block0 { get; }
    [With(nameof(RegNetBlock.Width), 208, nameof(RegNetBlock.Groups), 26, nameof(RegNetBlock.Squeeze), 52)] public partial RegNetBlock Stage3Block1 { get; }
    [With(nameof(RegNetBlock.Width), 208, nameof(RegNetBlock.Groups), 26, nameof(RegNetBlock.Squeeze), 52)] public partial RegNetBlock Stage3Block2 { get; }
    [With(nameof(RegNetBlock.Width), 208, nameof(RegNetBlock.Groups), 26, nameof(RegNetBlock.Squeeze), 52)] public partial RegNetBlock Stage3Block3 { get; }
    [With(nameof(RegNetBlock.Width), 208, nameof(RegNetBlock.Groups), 26, nameof(RegNetBlock.Squeeze), 52)] public partial RegNetBlock Stage3Block4 { get; }
    [With(nameof(RegNetBlock.Width), 208, nameof(RegNetBlock.Groups), 26, nameof(RegNetBlock.Squeeze), 52)] public partial RegNetBlock Stage3Block5 { get; }
    [With(nameof(RegNetBlockProjected.Width), 440, nameof(RegNetBlockProjected.Groups), 55, nameof(RegNetBlockProjected.Squeeze), 52, nameof(RegNetBlockProjected.Stride), 2)] public partial RegNetBlockProjected Stage4Block0 { get; }
    [With(nameof(RegNetBlock.Width), 440, nameof(RegNetBlock.Groups), 55, nameof(RegNetBlock.Squeeze), 110)] public partial RegNetBlock Stage4Block1 { get; }
    [With(nameof(RegNetBlock.Width), 440, nameof(RegNetBlock.Groups), 55, nameof(RegNetBlock.Squeeze), 110)] public partial RegNetBlock Stage4Block2 { get; }
    [With(nameof(RegNetBlock.Width), 440, nameof(RegNetBlock.Groups), 55, nameof(RegNetBlock.Squeeze), 110)] public partial RegNetBlock Stage4Block3 { get; }
    [With(nameof(RegNetBlock.Width), 440, nameof(RegNetBlock.Groups), 55, nameof(RegNetBlock.Squeeze), 110)] public partial RegNetBlock Stage4Block4 { get; }
    [With(nameof(RegNetBlock.Width), 440, nameof(RegNetBlock.Groups), 55, nameof(RegNetBlock.Squeeze), 110)] public partial RegNetBlock Stage4Block5 { get; }

    [GlobalAvgPool, Dense(1000, Name = "fc")]
    public partial Sequential Head { get; }
}

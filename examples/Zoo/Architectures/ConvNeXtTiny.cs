using ModelDsl;
using TorchSharp.Modules;

namespace Zoo;

/// <summary>
/// ConvNeXt's block (Liu et al. 2022) as torchvision's <c>CNBlock</c>: a depthwise 7×7 convolution, layer norm over each
/// pixel's channels (ε = 10⁻⁶), a pointwise MLP to 4 × <see cref="Dim"/> and back with GELU, layer scale (γ from
/// 10⁻⁶) and stochastic depth, added to the input. torchvision's <c>block.1</c> and <c>block.6</c> are permutes, which
/// the channel layers do inside.
/// </summary>
[Block]
public partial class CNBlock
{
    public const int Dim = 96, DropPathTenThousandths = 0;   // the width; the drop-path rate in units of 10⁻⁴

    [Conv2d(Dim, 7, Padding = 3, Groups = Dim, Name = "0"), LayerNorm(Channels = true, Eps = 1e-6, Name = "2"), ChannelDense(Dim * 4, Name = "3"),
     GELU(Name = "4"), ChannelDense(Dim, Name = "5"), LayerScale(Name = "layer_scale"), StochasticDepth(DropPathTenThousandths / 10000.0, Name = "stochastic_depth")]
    public partial Sequential Block { get; }

    [Add("input", nameof(Block))]
    public partial Sequential Sum { get; }
}

/// <summary>
/// torchvision's <c>convnext_tiny</c>: a 4×4 stride-4 patchify stem with layer norm, four stages of 3, 3, 9 and 3 blocks
/// (96, 192, 384, 768 channels) with downsampling (layer norm, 2×2 stride-2 convolution) between them, stochastic depth
/// rising linearly to 0.1, global average pooling, layer norm and the classifier. Renames map torchvision's
/// <c>features</c> container and its blocks' <c>layer_scale</c> parameter onto the members.
/// </summary>
[Model(3, 224, 224)]
[RenameWeights("features.{n}.{n}", "stage{n}Unit{n}"), RenameWeights("features.{n}.{n}.layer_scale", "stage{n}Unit{n}.block.layer_scale.weight")]
[RenameWeights("features.0.0", "stem.0"), RenameWeights("features.0.1", "stem.1")]
[RenameWeights("features.2.0", "down2.0"), RenameWeights("features.2.1", "down2.1"), RenameWeights("features.4.0", "down4.0"), RenameWeights("features.4.1", "down4.1"), RenameWeights("features.6.0", "down6.0"), RenameWeights("features.6.1", "down6.1")]
public partial class ConvNeXtTiny
{
    [Conv2d(96, 4, Stride = 4, Name = "0"), LayerNorm(Channels = true, Eps = 1e-6, Name = "1")] public partial Sequential Stem { get; }

    [With(nameof(CNBlock.Dim), 96, nameof(CNBlock.DropPathTenThousandths), 0)] public partial CNBlock Stage1Unit0 { get; }
    [With(nameof(CNBlock.Dim), 96, nameof(CNBlock.DropPathTenThousandths), 59)] public partial CNBlock Stage1Unit1 { get; }
    [With(nameof(CNBlock.Dim), 96, nameof(CNBlock.DropPathTenThousandths), 118)] public partial CNBlock Stage1Unit2 { get; }
    [LayerNorm(Channels = true, Eps = 1e-6, Name = "0"), Conv2d(192, 2, Stride = 2, Name = "1")] public partial Sequential Down2 { get; }
    [With(nameof(CNBlock.Dim), 192, nameof(CNBlock.DropPathTenThousandths), 176)] public partial CNBlock Stage3Unit0 { get; }
    [With(nameof(CNBlock.Dim), 192, nameof(CNBlock.DropPathTenThousandths), 235)] public partial CNBlock Stage3Unit1 { get; }
    [With(nameof(CNBlock.Dim), 192, nameof(CNBlock.DropPathTenThousandths), 294)] public partial CNBlock Stage3Unit2 { get; }
    [LayerNorm(Channels = true, Eps = 1e-6, Name = "0"), Conv2d(384, 2, Stride = 2, Name = "1")] public partial Sequential Down4 { get; }
    [With(nameof(CNBlock.Dim), 384, nameof(CNBlock.DropPathTenThousandths), 353)] public partial CNBlock Stage5Unit0 { get; }
    [With(nameof(CNBlock.Dim), 384, nameof(CNBlock.DropPathTenThousandths), 412)] public partial CNBlock Stage5Unit1 { get; }
    [With(nameof(CNBlock.Dim), 384, nameof(CNBlock.DropPathTenThousandths), 471)] public partial CNBlock Stage5Unit2 { get; }
    [With(nameof(CNBlock.Dim), 384, nameof(CNBlock.DropPathTenThousandths), 529)] public partial CNBlock Stage5Unit3 { get; }
    [With(nameof(CNBlock.Dim), 384, nameof(CNBlock.DropPathTenThousandths), 588)] public partial CNBlock Stage5Unit4 { get; }
    [With(nameof(CNBlock.Dim), 384, nameof(CNBlock.DropPathTenThousandths), 647)] public partial CNBlock Stage5Unit5 { get; }
    [With(nameof(CNBlock.Dim), 384, nameof(CNBlock.DropPathTenThousandths), 706)] public partial CNBlock Stage5Unit6 { get; }
    [With(nameof(CNBlock.Dim), 384, nameof(CNBlock.DropPathTenThousandths), 765)] public partial CNBlock Stage5Unit7 { get; }
    [With(nameof(CNBlock.Dim), 384, nameof(CNBlock.DropPathTenThousandths), 824)] public partial CNBlock Stage5Unit8 { get; }
    [LayerNorm(Channels = true, Eps = 1e-6, Name = "0"), Conv2d(768, 2, Stride = 2, Name = "1")] public partial Sequential Down6 { get; }
    [With(nameof(CNBlock.Dim), 768, nameof(CNBlock.DropPathTenThousandths), 882)] public partial CNBlock Stage7Unit0 { get; }
    [With(nameof(CNBlock.Dim), 768, nameof(CNBlock.DropPathTenThousandths), 941)] public partial CNBlock Stage7Unit1 { get; }
    [With(nameof(CNBlock.Dim), 768, nameof(CNBlock.DropPathTenThousandths), 1000)] public partial CNBlock Stage7Unit2 { get; }

    [AdaptiveAvgPool2d(1), LayerNorm(Channels = true, Eps = 1e-6, Name = "0"), Flatten(Name = "1"), Dense(1000, Name = "2")]
    public partial Sequential Classifier { get; }
}

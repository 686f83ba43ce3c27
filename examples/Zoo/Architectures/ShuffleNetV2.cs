using ModelDsl;
using TorchSharp.Modules;

namespace Zoo;

/// <summary>
/// ShuffleNetV2's unit that keeps its shape (Ma et al. 2018, torchvision's <c>InvertedResidual</c> at stride 1): the
/// channels split in half, one half passes, the other goes through <c>branch2</c> (1×1, depthwise 3×3, 1×1), the halves
/// are concatenated and the channels shuffled in two groups.
/// </summary>
[Block]
public partial class ShuffleUnit
{
    public const int Half = 58;   // half the unit's channels

    [ChannelSplit(2, 0)] public partial Sequential Passed { get; }

    [From("input"), ChannelSplit(2, 1)] public partial Sequential Split { get; }

    [Conv2d(Half, 1, Bias = false, Name = "0"), BatchNorm(Name = "1"), ReLU(Name = "2"),
     Conv2d(Half, 3, Stride = 1, Padding = 1, Groups = Half, Bias = false, Name = "3"), BatchNorm(Name = "4"),
     Conv2d(Half, 1, Bias = false, Name = "5"), BatchNorm(Name = "6"), ReLU(Name = "7")]
    public partial Sequential Branch2 { get; }

    [Concatenate(nameof(Passed), nameof(Branch2)), ChannelShuffle(2)] public partial Sequential Shuffled { get; }
}

/// <summary>
/// ShuffleNetV2's downsampling unit (stride 2): both branches read the whole input, <c>branch1</c> a depthwise 3×3 then
/// 1×1, <c>branch2</c> as in <see cref="ShuffleUnit"/>; each gives <see cref="Out"/> channels, concatenated and shuffled.
/// </summary>
[Block]
public partial class ShuffleDownsample
{
    public const int In = 24, Out = 58;   // the unit's input channels; each branch's output channels (the unit gives twice as many)

    [Conv2d(In, 3, Stride = 2, Padding = 1, Groups = In, Bias = false, Name = "0"), BatchNorm(Name = "1"),
     Conv2d(Out, 1, Bias = false, Name = "2"), BatchNorm(Name = "3"), ReLU(Name = "4")]
    public partial Sequential Branch1 { get; }

    [From("input"), Conv2d(Out, 1, Bias = false, Name = "0"), BatchNorm(Name = "1"), ReLU(Name = "2"),
     Conv2d(Out, 3, Stride = 2, Padding = 1, Groups = Out, Bias = false, Name = "3"), BatchNorm(Name = "4"),
     Conv2d(Out, 1, Bias = false, Name = "5"), BatchNorm(Name = "6"), ReLU(Name = "7")]
    public partial Sequential Branch2 { get; }

    [Concatenate(nameof(Branch1), nameof(Branch2)), ChannelShuffle(2)] public partial Sequential Shuffled { get; }
}

/// <summary>
/// torchvision's <c>shufflenet_v2_x1_0</c>: a stride-2 stem with max pooling, three stages of 4, 8 and 4 units (116,
/// 232, 464 channels; the first unit of each downsamples), a 1×1 convolution to 1024 channels, the spatial mean and the
/// classifier. Renames map torchvision's <c>stageS.U</c> onto the members.
/// </summary>
[Model(3, 224, 224)]
[RenameWeights("stage{n}.{n}", "stage{n}Unit{n}"), RenameWeights("fc", "head.fc")]
public partial class ShuffleNetV2X10
{
    [Conv2d(24, 3, Stride = 2, Padding = 1, Bias = false, Name = "0"), BatchNorm(Name = "1"), ReLU(Name = "2")]
    public partial Sequential Conv1 { get; }

    [MaxPool2d(3, Stride = 2, Padding = 1)] public partial Sequential Maxpool { get; }

    [With(nameof(ShuffleDownsample.In), 24, nameof(ShuffleDownsample.Out), 58)] public partial ShuffleDownsample Stage2Unit0 { get; }
    [With(nameof(ShuffleUnit.Half), 58)] public partial ShuffleUnit Stage2Unit1 { get; }
    [With(nameof(ShuffleUnit.Half), 58)] public partial ShuffleUnit Stage2Unit2 { get; }
    [With(nameof(ShuffleUnit.Half), 58)] public partial ShuffleUnit Stage2Unit3 { get; }
    [With(nameof(ShuffleDownsample.In), 116, nameof(ShuffleDownsample.Out), 116)] public partial ShuffleDownsample Stage3Unit0 { get; }
    [With(nameof(ShuffleUnit.Half), 116)] public partial ShuffleUnit Stage3Unit1 { get; }
    [With(nameof(ShuffleUnit.Half), 116)] public partial ShuffleUnit Stage3Unit2 { get; }
    [With(nameof(ShuffleUnit.Half), 116)] public partial ShuffleUnit Stage3Unit3 { get; }
    [With(nameof(ShuffleUnit.Half), 116)] public partial ShuffleUnit Stage3Unit4 { get; }
    [With(nameof(ShuffleUnit.Half), 116)] public partial ShuffleUnit Stage3Unit5 { get; }
    [With(nameof(ShuffleUnit.Half), 116)] public partial ShuffleUnit Stage3Unit6 { get; }
    [With(nameof(ShuffleUnit.Half), 116)] public partial ShuffleUnit Stage3Unit7 { get; }
    [With(nameof(ShuffleDownsample.In), 232, nameof(ShuffleDownsample.Out), 232)] public partial ShuffleDownsample Stage4Unit0 { get; }
    [With(nameof(ShuffleUnit.Half), 232)] public partial ShuffleUnit Stage4Unit1 { get; }
    [With(nameof(ShuffleUnit.Half), 232)] public partial ShuffleUnit Stage4Unit2 { get; }
    [With(nameof(ShuffleUnit.Half), 232)] public partial ShuffleUnit Stage4Unit3 { get; }

    [Conv2d(1024, 1, Bias = false, Name = "0"), BatchNorm(Name = "1"), ReLU(Name = "2")]
    public partial Sequential Conv5 { get; }

    [GlobalAvgPool, Dense(1000, Name = "fc")]
    public partial Sequential Head { get; }
}

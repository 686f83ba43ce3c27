using TorchSharp.Modules;

namespace ModelDsl.Tests.Graph;

/// <summary>MobileNetV2's inverted residual with EfficientNet's SiLU (Tan &amp; Le 2019): expand, depthwise, project, add the input.</summary>
[Block]
public partial class MBConv
{
    public const int Hidden = 32, Out = 8;

    [Conv2d(Hidden, 1, Bias = false), BatchNorm, SiLU] public partial Sequential Expand { get; }
    [Conv2d(Hidden, 3, Padding = 1, Groups = Hidden, Bias = false), BatchNorm, SiLU] public partial Sequential Depthwise { get; }
    [Conv2d(Out, 1, Bias = false), BatchNorm] public partial Sequential Project { get; }
    [Add("input", nameof(Project))] public partial Sequential Sum { get; }
}

/// <summary>A stage: a strided convolution to the stage's width, then two MBConv blocks, each expanding by the stage's factor.</summary>
[Block]
public partial class MBStage
{
    public const int Width = 8, Expansion = 4;

    [Conv2d(Width, 3, Stride = 2, Padding = 1, Bias = false), BatchNorm, SiLU] public partial Sequential Down { get; }
    [With(nameof(MBConv.Hidden), Width * Expansion, nameof(MBConv.Out), Width)] public partial MBConv Block0 { get; }
    [With(nameof(MBConv.Hidden), Width * Expansion, nameof(MBConv.Out), Width)] public partial MBConv Block1 { get; }
}

/// <summary>Two stages of nested templates with different widths and expansions: 6 → 4 (hidden 8), then 4 → 6 (hidden 18).</summary>
[Model(3, 8, 8)]
public partial class MiniEfficientNet
{
    [Conv2d(6, 3, Padding = 1), ReLU] public partial Sequential Stem { get; }
    [With(nameof(MBStage.Width), 4, nameof(MBStage.Expansion), 2)] public partial MBStage Stage1 { get; }
    [With(nameof(MBStage.Width), 6, nameof(MBStage.Expansion), 3)] public partial MBStage Stage2 { get; }
    [GlobalAvgPool, Dense(5)] public partial Sequential Head { get; }
}

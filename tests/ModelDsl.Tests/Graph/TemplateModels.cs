using TorchSharp.Modules;

namespace ModelDsl.Tests.Graph;

/// <summary>SqueezeNet's Fire module (Iandola et al. 2016): a 1×1 squeeze, then 1×1 and 3×3 expands concatenated along channels.</summary>
[Block]
public partial class Fire
{
    public const int Squeeze = 16, Expand = 64;

    [Conv2d(Squeeze, 1), ReLU] public partial Sequential SqueezeConv { get; }
    [Conv2d(Expand, 1), ReLU] public partial Sequential Expand1 { get; }
    [From(nameof(SqueezeConv)), Conv2d(Expand, 3, Padding = 1), ReLU] public partial Sequential Expand3 { get; }
    [Concatenate(nameof(Expand1), nameof(Expand3))] public partial Sequential Joined { get; }
}

/// <summary>Two uses of Fire with different sizes, each planned on its own input: 8 → 4 + 4, then 8 → 6 + 6 channels.</summary>
[Model(3, 8, 8)]
public partial class MiniSqueezeNet
{
    [Conv2d(8, 3, Padding = 1), ReLU] public partial Sequential Stem { get; }
    [With(nameof(Fire.Squeeze), 2, nameof(Fire.Expand), 4)] public partial Fire Fire2 { get; }
    [With(nameof(Fire.Squeeze), 3, nameof(Fire.Expand), 6)] public partial Fire Fire3 { get; }
    [GlobalAvgPool, Dense(5)] public partial Sequential Head { get; }
}

using TorchSharp.Modules;

namespace ModelDsl.Tests.Graph;

// Two branches of the input joined by each merge, then a head: the merges against hand-written TorchSharp.

[Model(6)]
public partial class AddNet
{
    [Dense(4), BatchNorm, ReLU] public partial Sequential A { get; }
    [From("input"), Dense(4), Tanh] public partial Sequential B { get; }
    [Add(nameof(A), nameof(B)), Dense(3)] public partial Sequential Joined { get; }
}

[Model(6)]
public partial class MultiplyNet
{
    [Dense(4), BatchNorm, ReLU] public partial Sequential A { get; }
    [From("input"), Dense(4), Tanh] public partial Sequential B { get; }
    [Multiply(nameof(A), nameof(B)), Dense(3)] public partial Sequential Joined { get; }
}

[Model(6)]
public partial class AverageNet
{
    [Dense(4), BatchNorm, ReLU] public partial Sequential A { get; }
    [From("input"), Dense(4), Tanh] public partial Sequential B { get; }
    [Average(nameof(A), nameof(B)), Dense(3)] public partial Sequential Joined { get; }
}

[Model(6)]
public partial class ConcatenateNet
{
    [Dense(4), BatchNorm, ReLU] public partial Sequential A { get; }
    [From("input"), Dense(5), Tanh] public partial Sequential B { get; }
    [Concatenate(nameof(A), nameof(B)), Dense(3)] public partial Sequential Joined { get; }
}

/// <summary>An Inception-style module on images: a stem, a 1×1 and a 3×3 branch concatenated along channels, a head.</summary>
[Model(1, 8, 8), Ensemble(2)]
public partial class MiniInception
{
    [Conv2d(6, 3, Padding = 1), BatchNorm, ReLU] public partial Sequential Stem { get; }
    [From(nameof(Stem)), Conv2d(3, 1), ReLU] public partial Sequential Branch1 { get; }
    [From(nameof(Stem)), Conv2d(5, 3, Padding = 1), ReLU] public partial Sequential Branch3 { get; }
    [Concatenate(nameof(Branch1), nameof(Branch3)), MaxPool2d(2)] public partial Sequential Mixed { get; }
    [GlobalAvgPool, Dense(4)] public partial Sequential Head { get; }
}

/// <summary>
/// Two inputs, three outputs: image features gated by squeeze-excitation ([C, H, W] × [C, 1, 1]), a feature vector
/// joined by concatenation, a class head and a box head, and the pooled features as a tap.
/// </summary>
[Model]
[Input("image", 2, 6, 6), Input("meta", 3)]
public partial class TwoHeads
{
    [From("image"), Conv2d(4, 3, Padding = 1), ReLU] public partial Sequential Features { get; }
    // torchvision's SqueezeExcitation: average to [C, 1, 1], two 1×1 convolutions, a sigmoid gate per channel.
    [AvgPool2d(6), Conv2d(2, 1), ReLU, Conv2d(4, 1), Sigmoid] public partial Sequential Squeeze { get; }
    [Multiply(nameof(Features), nameof(Squeeze))] public partial Sequential Excited { get; }
    [GlobalAvgPool] public partial Sequential Pooled { get; }
    [From("meta"), Dense(4), ReLU] public partial Sequential Context { get; }
    [Concatenate(nameof(Pooled), nameof(Context)), Dense(6), ReLU] public partial Sequential Trunk { get; }
    [Dense(5), Output] public partial Sequential Class { get; }
    [From(nameof(Trunk)), Dense(4), Output] public partial Sequential Box { get; }
    [From(nameof(Pooled)), Output] public partial Sequential Embedding { get; }
}

/// <summary>A graph model with weight decay on one branch, max-norm on the head and dropout: what chains have, on a graph.</summary>
[Model(6)]
[WeightDecay("branch", L2 = 0.1)]
public partial class RegularizedGraph
{
    [Dense(4, Group = "branch"), ReLU, Dropout(0.5)] public partial Sequential A { get; }
    [From("input"), Dense(4)] public partial Sequential B { get; }
    [Add(nameof(A), nameof(B)), Dense(3, MaxNorm = 0.5)] public partial Sequential Head { get; }
}

/// <summary>
/// Names as a PyTorch model has them: an nn.Sequential "features" numbering its children and a Linear "fc", so a
/// state_dict written from that model loads strictly (features.0.weight, features.1.running_mean, fc.bias).
/// </summary>
[Model(1, 8, 8)]
public partial class TorchNamed
{
    [Conv2d(4, 3, Padding = 1, Name = "0"), BatchNorm(Name = "1"), ReLU(Name = "2"), GlobalAvgPool]
    public partial Sequential Features { get; }

    [Dense(3, Name = "fc")]
    public partial Sequential Head { get; }
}

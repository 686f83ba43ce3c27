using ModelDsl;
using TorchSharp.Modules;
using static ModelDsl.Init;

namespace ModelDsl.Tests.Models;

/// <summary>A post-activation basic block that keeps the shape: identity shortcut.</summary>
[Model(4, 6, 6)]
public partial class ResidualIdentityCnn
{
    [Residual(Activation = Activation.ReLU)]
    [Conv2d(4, 3, Padding = 1, Bias = false, Init = He), BatchNorm, ReLU, Conv2d(4, 3, Padding = 1, Bias = false, Init = He), BatchNorm]
    public partial Sequential Block { get; }
}

/// <summary>A basic block wide enough that, at batch 32, its convolutions take the blocked channels-last product at eval.</summary>
[Model(32, 14, 14)]
public partial class WideResidualCnn
{
    [Residual(Activation = Activation.ReLU)]
    [Conv2d(32, 3, Padding = 1, Bias = false, Init = He), BatchNorm, ReLU, Conv2d(32, 3, Padding = 1, Init = He), BatchNorm]
    public partial Sequential Block { get; }
}

/// <summary>A basic block that halves the map and doubles the channels: 1×1 stride-2 projection with batch norm.</summary>
[Model(3, 8, 8)]
public partial class ResidualProjectionCnn
{
    [Residual(Activation = Activation.ReLU)]
    [Conv2d(6, 3, Stride = 2, Padding = 1, Bias = false, Init = He), BatchNorm, ReLU, Conv2d(6, 3, Padding = 1, Bias = false, Init = He), BatchNorm]
    public partial Sequential Block { get; }
}

/// <summary>Two dense pre-activation units (no activation after the sum) that keep the width: identity shortcuts.</summary>
[Model(5)]
public partial class ResidualIdentityMlp
{
    [Residual(Repeat = 2)]
    [LayerNorm, Dense(8, Init = He), ReLU, Dense(5)]
    public partial Sequential Block { get; }
}

/// <summary>A dense unit that widens 5 → 7: Linear projection without bias.</summary>
[Model(5)]
public partial class ResidualProjectionMlp
{
    [Residual(Activation = Activation.ReLU)]
    [Dense(7, Init = He), ReLU, Dense(7)]
    public partial Sequential Block { get; }
}

/// <summary>Zero-γ on image blocks: the first unit starts as its projection, the second as the identity.</summary>
[Model(3, 8, 8)]
public partial class ZeroGammaCnn
{
    [Residual(Repeat = 2, BranchInit = ResidualInit.ZeroGamma)]
    [Conv2d(6, 3, Stride = 2, Padding = 1, Bias = false, Init = He), BatchNorm, ReLU, Conv2d(6, 3, Padding = 1, Bias = false, Init = He), BatchNorm]
    public partial Sequential Block { get; }
}

/// <summary>Zero-init of the last weight layer on dense pre-activation units: every unit starts as its shortcut.</summary>
[Model(5)]
public partial class ZeroWeightsMlp
{
    [Residual(Repeat = 3, BranchInit = ResidualInit.ZeroWeights)]
    [Dense(8, Init = He), ReLU, Dense(5)]
    public partial Sequential Block { get; }
}

/// <summary>20 dense residual units without normalization, Fixup-initialized (L = 20, m = 2).</summary>
[Model(64)]
public partial class FixupDeepMlp
{
    [Residual(Repeat = 20, BranchInit = ResidualInit.Fixup)]
    [Dense(64, Init = He), ReLU, Dense(64, Init = He)]
    public partial Sequential Stage { get; }
}

/// <summary><see cref="FixupDeepMlp"/> at its layers' own He init: the baseline Fixup is measured against.</summary>
[Model(64)]
public partial class PlainDeepMlp
{
    [Residual(Repeat = 20)]
    [Dense(64, Init = He), ReLU, Dense(64, Init = He)]
    public partial Sequential Stage { get; }
}

/// <summary>A residual model in a loop ensemble, with weight decay: the projection decays with its block's group.</summary>
[Model(3, 8, 8)]
[Ensemble(3, Seed = 5)]
[WeightDecay("body", L2 = 1e-3)]
public partial class ResidualEnsembleCnn
{
    [Residual(Activation = Activation.ReLU)]
    [Conv2d(6, 3, Stride = 2, Padding = 1, Bias = false, Group = "body"), BatchNorm, ReLU, Conv2d(6, 3, Padding = 1, Bias = false, Group = "body"), BatchNorm]
    public partial Sequential Block { get; }

    [GlobalAvgPool, Dense(4)]
    public partial Sequential Head { get; }
}

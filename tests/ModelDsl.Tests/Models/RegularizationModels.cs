using ModelDsl;
using TorchSharp.Modules;
using static ModelDsl.Init;

namespace ModelDsl.Tests.Models;

/// <summary>Two named groups, no default: body decays dense1.weight (L2 and L1); head decays dense2's weight and bias.</summary>
[Model(6)]
[WeightDecay("body", L2 = 0.1, L1 = 0.05)]
[WeightDecay("head", L2 = 0.2, IncludeBias = true)]
[Dense(5, Init = He, Group = "body"), BatchNorm, ReLU]
[Dense(3, Group = "head")]
public partial class GroupedDecayModel { }

/// <summary>The default group (no Group on the layer), L2 only, with the norm's parameters included.</summary>
[Model(4)]
[WeightDecay(L2 = 0.3, IncludeNorm = true)]
[Dense(4, Group = null), LayerNorm]
public partial class DefaultGroupModel { }

/// <summary>Linear regression without bias, L1 penalty (sparse solutions, 5.4.3).</summary>
[Model(20)]
[WeightDecay(L1 = 0.1)]
[Dense(1, Bias = false)]
public partial class SparseL1Regression { }

/// <summary>Linear regression without bias, L2 penalty (shrinks, never zeroes).</summary>
[Model(20)]
[WeightDecay(L2 = 0.05)]
[Dense(1, Bias = false)]
public partial class SparseL2Regression { }

/// <summary>Input noise before a linear regression (5.9.1: ≈ ridge).</summary>
[Model(5)]
[GaussianNoise(0.5), Dense(1, Bias = false)]
public partial class InputNoiseRegression { }

/// <summary>Only a Gaussian noise layer, to measure it through a generated model.</summary>
[Model(1000)]
[GaussianNoise(0.3)]
public partial class NoiseOnly { }

/// <summary>Only a weight-scaling dropout layer.</summary>
[Model(1000)]
[Dropout(Keep = 0.8, Mode = DropoutMode.WeightScaling)]
public partial class WeightScalingDropoutOnly { }

/// <summary>Only an inverted dropout layer.</summary>
[Model(1000)]
[Dropout(Keep = 0.8)]
public partial class InvertedDropoutOnly { }

/// <summary>Weight noise on a Dense layer.</summary>
[Model(3)]
[Dense(4, WeightNoise = 0.1)]
public partial class WeightNoiseModel { }

/// <summary>Max-norm on one layer, large initial weights so the constraint bites.</summary>
[Model(10)]
[Dense(8, Init = Init.Normal, InitStd = 1, MaxNorm = 0.5), ReLU]
[Dense(2)]
public partial class MaxNormModel { }

/// <summary>Every train/eval-sensitive layer, some inside a named block.</summary>
// Momentum 1 on purpose: the running statistics equal the last batch's, which the tests read. MD0019 warns that a large
// momentum is usually Keras's convention.
#pragma warning disable MD0019
[Model(6)]
[GaussianNoise(0.1), Dense(8), BatchNorm(Momentum = 1), ReLU, Dropout(0.5)]
public partial class ModeModel
#pragma warning restore MD0019
{
    [Dense(8, WeightNoise = 0.1), Dropout(Keep = 0.5, Mode = DropoutMode.WeightScaling), Dense(2)]
    public partial Sequential Head { get; }
}

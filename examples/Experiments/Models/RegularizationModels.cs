using ModelDsl;
using static ModelDsl.Activation;
using static ModelDsl.Init;

namespace Experiments.Models;

/// <summary>Constants the regularization experiments' declarations need (attribute arguments must be constants).</summary>
public static class RegularizationSetup
{
    /// <summary>Features of the sparse regression (5.4): 5 of them carry signal.</summary>
    public const int SparseFeatures = 50;

    /// <summary>λ1 of the L1 model: above the largest data gradient a null feature sees (≈ 0.02 here), so those weights go to 0.</summary>
    public const double L1 = 0.05;

    /// <summary>λ2 of the L2 model (penalty (λ2/2)‖w‖²).</summary>
    public const double L2 = 0.1;

    /// <summary>λ2 of the one decayed group in the per-group runs.</summary>
    public const double GroupL2 = 0.02;
}

/// <summary>5.4.3: sparse linear regression with an L1 penalty (Laplace prior).</summary>
[Model(RegularizationSetup.SparseFeatures)]
[WeightDecay(L1 = RegularizationSetup.L1)]
[Dense(1, Bias = false)]
public partial class SparseL1Model { }

/// <summary>5.4.2: the same regression with an L2 penalty (Gaussian prior).</summary>
[Model(RegularizationSetup.SparseFeatures)]
[WeightDecay(L2 = RegularizationSetup.L2)]
[Dense(1, Bias = false)]
public partial class SparseL2Model { }

/// <summary>5.4 per-group λ, control: 1 → 32 → 32 → 1 tanh without decay.</summary>
[Model(1)]
[Dense(32, Activation = Tanh), Dense(32, Activation = Tanh), Dense(1)]
public partial class GroupControlRegressor { }

/// <summary>The same net with L2 on the hidden group only (the output layer stays in the undecayed default group).</summary>
[Model(1)]
[WeightDecay("hidden", L2 = RegularizationSetup.GroupL2)]
[Dense(32, Activation = Tanh, Group = "hidden"), Dense(32, Activation = Tanh, Group = "hidden"), Dense(1)]
public partial class HiddenDecayRegressor { }

/// <summary>The same net with L2 on the output group only.</summary>
[Model(1)]
[WeightDecay("output", L2 = RegularizationSetup.GroupL2)]
[Dense(32, Activation = Tanh), Dense(32, Activation = Tanh), Dense(1, Group = "output")]
public partial class OutputDecayRegressor { }

/// <summary>5.5.2: linear regression in two dimensions without bias, to draw the gradient-descent and ridge paths.</summary>
[Model(2)]
[Dense(1, Bias = false)]
public partial class PathRegressor { }

/// <summary>5.5: a large MLP for 1,000 MNIST images, to overfit on purpose.</summary>
[Model(784)]
[Dense(1024, Init = He, Activation = ReLU), Dense(1024, Init = He, Activation = ReLU), Dense(10)]
public partial class LargeMnistMlp { }

/// <summary>5.5 quick twin: a smaller MLP of the same shape (seconds, not minutes).</summary>
[Model(784)]
[Dense(256, Init = He, Activation = ReLU), Dense(256, Init = He, Activation = ReLU), Dense(10)]
public partial class MediumMnistMlp { }

/// <summary>5.6: a one-hidden-layer MNIST MLP (cheap enough to train once per RandAugment grid point).</summary>
[Model(784)]
[Dense(256, Init = He, Activation = ReLU), Dense(10)]
public partial class SmallMnistMlp { }

/// <summary>5.8: MNIST MLP 784 → 512 → 512 → 10 without dropout.</summary>
[Model(784)]
[Dense(512, Init = He, Activation = ReLU), Dense(512, Init = He, Activation = ReLU), Dense(10)]
public partial class PlainMnistMlp { }

/// <summary>5.8: the same MLP with Srivastava et al.'s keep rates (0.8 on inputs, 0.5 on hidden units), inverted dropout.</summary>
[Model(784)]
[Dropout(Keep = 0.8), Dense(512, Init = He, Activation = ReLU), Dropout(Keep = 0.5)]
[Dense(512, Init = He, Activation = ReLU), Dropout(Keep = 0.5), Dense(10)]
public partial class InvertedDropoutMnistMlp { }

/// <summary>5.8: the same MLP with the weight-scaling inference rule (no scaling in training, × keep at inference).</summary>
[Model(784)]
[Dropout(Keep = 0.8, Mode = DropoutMode.WeightScaling), Dense(512, Init = He, Activation = ReLU), Dropout(Keep = 0.5, Mode = DropoutMode.WeightScaling)]
[Dense(512, Init = He, Activation = ReLU), Dropout(Keep = 0.5, Mode = DropoutMode.WeightScaling), Dense(10)]
public partial class WeightScalingDropoutMnistMlp { }

/// <summary>5.9: <see cref="SmallRegressor"/> with N(0, 0.05²) weight noise on every dense layer (NoisyLinear).</summary>
[Model(1)]
[Dense(32, Activation = Tanh, WeightNoise = 0.05), Dense(32, Activation = Tanh, WeightNoise = 0.05), Dense(1, WeightNoise = 0.05)]
public partial class WeightNoiseRegressor { }

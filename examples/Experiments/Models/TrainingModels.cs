using ModelDsl;
using static ModelDsl.Activation;
using static ModelDsl.Init;

namespace Experiments.Models;

/// <summary>5.3: a deep ReLU classifier (four hidden layers of 256) without normalization.</summary>
[Model(20)]
[Dense(256, Init = He, Activation = ReLU), Dense(256, Init = He, Activation = ReLU)]
[Dense(256, Init = He, Activation = ReLU), Dense(256, Init = He, Activation = ReLU)]
[Dense(4)]
public partial class PlainDeepMlp { }

/// <summary>5.3: the same classifier with batch norm between each dense layer and its ReLU (the paper's placement).</summary>
[Model(20)]
[Dense(256, Init = He), BatchNorm, ReLU, Dense(256, Init = He), BatchNorm, ReLU]
[Dense(256, Init = He), BatchNorm, ReLU, Dense(256, Init = He), BatchNorm, ReLU]
[Dense(4)]
public partial class BatchNormDeepMlp { }

/// <summary>5.7 and 5.9: a small 1-D regressor (1 → 32 → 32 → 1, tanh), TorchSharp's default init.</summary>
[Model(1)]
[Dense(32, Activation = Tanh), Dense(32, Activation = Tanh), Dense(1)]
public partial class SmallRegressor { }

/// <summary>5.9: linear regression y = wᵀx without bias (the data are centred), the model of Bishop's equivalence.</summary>
[Model(NoiseExperimentSetup.Features)]
[Dense(1, Bias = false)]
public partial class LinearRegressor { }

/// <summary>Constants the noise experiment's model declaration needs.</summary>
public static class NoiseExperimentSetup
{
    /// <summary>Input features of the linear regression.</summary>
    public const int Features = 5;
}

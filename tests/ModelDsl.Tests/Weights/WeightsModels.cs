using ModelDsl;

namespace ModelDsl.Tests.Weights;

/// <summary>
/// The ModelDsl twin of fixtures/make_fixtures.py's PyTorch module: Linear(8, 16) → ReLU → BatchNorm1d(16) → Linear(16, 3),
/// state_dict names dense1.*, batchnorm.*, dense2.*.
/// </summary>
[Model(8)]
[Dense(16, Activation = Activation.ReLU), BatchNorm]
[Dense(3)]
public partial class PyTorchTwin { }

/// <summary>PyTorchTwin with a wider hidden layer: shapes differ from the fixture's.</summary>
[Model(8)]
[Dense(32, Activation = Activation.ReLU), BatchNorm]
[Dense(3)]
public partial class WiderTwin { }

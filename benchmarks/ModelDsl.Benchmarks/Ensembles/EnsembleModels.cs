using ModelDsl;

namespace ModelDsl.Benchmarks.Ensembles;

/// <summary>(a) A small regression MLP, 16-64-64-1: per-op overhead dominates.</summary>
[Model(16)]
[Dense(64, Activation = Activation.ReLU, Init = Init.He)]
[Dense(64, Activation = Activation.ReLU, Init = Init.He)]
[Dense(1)]
[Ensemble(8, Vectorized = true, Seed = 1)]
public partial class SmallMlp { }

/// <summary>(b) The MNIST-sized MLP, 784-256-256-10: closer to compute-bound.</summary>
[Model(784)]
[Dense(256, Activation = Activation.ReLU, Init = Init.He)]
[Dense(256, Activation = Activation.ReLU, Init = Init.He)]
[Dense(10)]
[Ensemble(8, Aggregation = Aggregation.SoftVote, Vectorized = true, Seed = 2)]
public partial class MnistMlp { }

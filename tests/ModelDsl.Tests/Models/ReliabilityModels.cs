using ModelDsl;

namespace ModelDsl.Tests.Models;

/// <summary>The example: a BatchNorm that a batch of one sample would fill with NaN.</summary>
[Model(8)]
[Dense(4), BatchNorm]
public partial class DenseBatchNorm { }

/// <summary>GroupNorm on flat features [B, C], which PyTorch's GroupNorm takes.</summary>
[Model(4)]
[Dense(6), GroupNorm(3)]
public partial class DenseGroupNorm { }

/// <summary>A loop-form ensemble whose member weights are learned (a parameter outside the members).</summary>
[Model(4)]
[Dense(6, Activation = Activation.Tanh), BatchNorm]
[Dense(2)]
[Ensemble(3, Aggregation = Aggregation.WeightedMean, Seed = 5)]
public partial class LearnedWeightsNet { }

/// <summary>A loop-form ensemble with fixed member weights (a buffer outside the members).</summary>
[Model(4)]
[Dense(6, Activation = Activation.ReLU)]
[Dense(2)]
[Ensemble(3, Aggregation = Aggregation.WeightedMean, Weights = new[] { 1.0, 2.0, 1.0 }, Seed = 5)]
public partial class FixedWeightsNet { }

/// <summary>A vectorized ensemble with learned member weights: stacked parameters held in arrays.</summary>
[Model(4)]
[Dense(6, Activation = Activation.ReLU), LayerNorm]
[Dense(2)]
[Ensemble(3, Aggregation = Aggregation.WeightedMean, Vectorized = true, Seed = 5)]
public partial class VectorizedWeightsNet { }

/// <summary>A vectorized ensemble with fixed member weights.</summary>
[Model(4)]
[Dense(6, Activation = Activation.Tanh)]
[Dense(2)]
[Ensemble(2, Aggregation = Aggregation.WeightedMean, Weights = new[] { 3.0, 1.0 }, Vectorized = true, Seed = 5)]
public partial class VectorizedFixedNet { }

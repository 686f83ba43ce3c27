using ModelDsl;

namespace ModelDsl.Tests.Models;

/// <summary>A tiny regression net for bagging tests: 1 → 16 (tanh) → 1.</summary>
[Model(1)]
[Dense(16, Activation = Activation.Tanh, Init = Init.Xavier)]
[Dense(1)]
[Ensemble(5, Aggregation = Aggregation.Mean, Seed = 7)]
public partial class TinyRegressor { }

/// <summary>A small classifier whose ensemble soft-votes.</summary>
[Model(4)]
[Dense(8, Activation = Activation.ReLU)]
[Dense(3)]
[Ensemble(3, Aggregation = Aggregation.SoftVote, Seed = 11)]
public partial class TinyClassifier { }

/// <summary>Every vectorizable layer kind: Dense, inline and separate activations, LayerNorm, dropout.</summary>
[Model(6)]
[Dense(12, Activation = Activation.ReLU), LayerNorm, Dropout(0.2)]
[Dense(12), Tanh, Dropout(Keep = 0.9, Mode = DropoutMode.WeightScaling)]
[Dense(3)]
[Ensemble(4, Aggregation = Aggregation.SoftVote, Seed = 3, Vectorized = true)]
public partial class VectorizableNet { }

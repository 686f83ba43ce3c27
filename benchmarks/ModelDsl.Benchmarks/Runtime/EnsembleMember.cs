using static ModelDsl.Init;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// The card's MLP (the same layers as <see cref="CardMlp"/>, so <see cref="HandWrittenMlp"/> can hold a member's weights)
/// with an 8-member loop-form ensemble, mean of the members' logits: the generator writes <c>EnsembleMemberEnsemble</c>.
/// </summary>
[Model(784)]
[Dense(256, Init = He), BatchNorm, Dropout(0.5)]
[Dense(10)]
[Ensemble(8, Aggregation = Aggregation.Mean, Seed = 11)]
public partial class EnsembleMember { }

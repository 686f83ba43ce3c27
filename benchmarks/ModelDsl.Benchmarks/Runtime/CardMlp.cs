using static ModelDsl.Init;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>The design card's model, verbatim; the generator (referenced as an analyzer) writes the rest.</summary>
[Model(784)]
[Dense(256, Init = He), BatchNorm, Dropout(0.5)]
[Dense(10)]
public partial class CardMlp { }

using ModelDsl;
using static ModelDsl.Init;

namespace ModelDsl.Tests.Models;

/// <summary>The design card's example, verbatim.</summary>
[Model(784)]
[Dense(256, Init = He), BatchNorm, Dropout(0.5)]
[Dense(10)]
public partial class Mlp { }

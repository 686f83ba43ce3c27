using ModelDsl;
using static ModelDsl.Init;

namespace ModelDsl.Testing.Tests.Models;

/// <summary>The card's model with a named block: what a user would snapshot.</summary>
[Model(784)]
[Dense(256, Init = He), BatchNorm, Dropout(0.5)]
public partial class SnapshotMlp
{
    [Dense(10)]
    public partial TorchSharp.Modules.Sequential Head { get; }
}

using TorchSharp.Modules;

namespace ModelDsl.Tests.Graph;

/// <summary>
/// Two inputs joined by concatenation into one linear unit: it fits y = Σ image + 2·Σ meta exactly only when the rows of
/// both inputs and the target stay the same samples.
/// </summary>
[Model]
[Input("image", 1, 4, 4), Input("meta", 4)]
public partial class LinearPair
{
    [From("image"), Flatten] public partial Sequential Pixels { get; }
    [Concatenate(nameof(Pixels), "meta"), Dense(1)] public partial Sequential Sum { get; }
}

/// <summary>LinearPair with L2 weight decay: the GraphTrainer adds its penalty and records it.</summary>
[Model]
[Input("image", 1, 4, 4), Input("meta", 4)]
[WeightDecay(L2 = 1.0)]
public partial class DecayedPair
{
    [From("image"), Flatten] public partial Sequential Pixels { get; }
    [Concatenate(nameof(Pixels), "meta"), Dense(1)] public partial Sequential Sum { get; }
}

using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Model;

/// <summary>The whole generated model, decided: the emitter's only input, so it can be snapshot-tested alone.</summary>
internal sealed record ModelPlan(
    TypeHierarchy Type,
    EquatableArray<long> InputShape,
    EquatableArray<long> OutputShape,
    EquatableArray<PlannedBlock> Blocks,
    bool GenerateForward,
    long TotalParameters,
    string SummaryTable)
{
    /// <summary>The table folded to depths 1, 2, … below the deepest layer name (Summary(depth)); empty for a flat model.</summary>
    public EquatableArray<string> SummaryByDepth { get; init; } = EquatableArray<string>.Empty;

    /// <summary>The table the class's XML doc shows: the full one, or for a long model the depth-1 one and a line saying so.</summary>
    public string HoverSummary { get; init; } = "";

    /// <summary>Weight-decay groups and constraints; null when the model declares none.</summary>
    public RegularizationPlan? Regularization { get; init; }

    /// <summary>True from C# 10: the generated files use a file-scoped namespace; a block below.</summary>
    public bool FileScopedNamespace { get; init; } = true;

    /// <summary>The model's [Obsolete], repeated on its ensemble; null when the model is not obsolete.</summary>
    public ObsoleteInfo? Obsolete { get; init; }

    /// <summary>The token input of a model whose first layer is an Embedding; null for float input.</summary>
    public TokenInput? Tokens { get; init; }

    /// <summary>[Model(Context = T)]: token sequences of 1 to T steps are accepted; null for the fixed input shape.</summary>
    public long? Context { get; init; }

    /// <summary>The model gets Generate (a causal token model of variable length with logits per step).</summary>
    public bool Generates { get; init; }

    /// <summary>Where the forward switches to channels-last activations; null for a model that stays in its layout.</summary>
    public ChannelsLastPlan? ChannelsLast { get; init; }

    /// <summary>How the blocks connect when the model is a graph; null for a chain.</summary>
    public GraphPlan? Graph { get; init; }

    /// <summary>The {Model}Ensemble to generate; null without [Ensemble].</summary>
    public EnsemblePlan? Ensemble { get; init; }
}

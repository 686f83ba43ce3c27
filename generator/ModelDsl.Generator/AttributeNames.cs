using Microsoft.CodeAnalysis;

namespace ModelDsl.Generator;

/// <summary>
/// Metadata names of the attributes the generator reads. Strings rather than typeof: the generator must not load
/// the attributes assembly inside the compiler. A test checks each against typeof(X).FullName.
/// </summary>
internal static class AttributeNames
{
    public const string Namespace = "ModelDsl";
    public const string ModelType = "ModelAttribute";
    public const string LayerBaseType = "LayerAttribute";
    public const string Model = Namespace + "." + ModelType;
    public const string LayerBase = Namespace + "." + LayerBaseType;
    public const string ResidualType = "ResidualAttribute";
    public const string Residual = Namespace + "." + ResidualType;

    public const string FromType = "FromAttribute";
    public const string MergeBaseType = "MergeAttribute";
    public const string OutputType = "OutputAttribute";
    public const string InputType = "InputAttribute";
    public const string BlockType = "BlockAttribute";
    public const string WithType = "WithAttribute";
    public const string Block = Namespace + "." + BlockType;

    /// <summary>
    /// True when <paramref name="type"/> is declared directly in the ModelDsl namespace. Compared by name parts, not by
    /// ToDisplayString(): the parse step runs for every [Model] class on every edit, and formatting a display string per
    /// attribute and base type was most of its cost (benchmarks: incremental).
    /// </summary>
    public static bool InModelDslNamespace(ITypeSymbol? type)
        => type?.ContainingNamespace is { Name: Namespace } ns && ns.ContainingNamespace is { IsGlobalNamespace: true };

    /// <summary>ModelDsl.ModelAttribute.</summary>
    public static bool IsModel(ITypeSymbol? type) => type is { Name: ModelType } && InModelDslNamespace(type);

    /// <summary>ModelDsl.ResidualAttribute, which makes a named block residual.</summary>
    public static bool IsResidual(ITypeSymbol? type) => type is { Name: ResidualType } && InModelDslNamespace(type);

    /// <summary>ModelDsl.FromAttribute, which names the one source a block reads.</summary>
    public static bool IsFrom(ITypeSymbol? type) => type is { Name: FromType } && InModelDslNamespace(type);

    /// <summary>A ModelDsl merge (Concatenate, Add, Multiply, Average): derived from ModelDsl.MergeAttribute.</summary>
    public static bool IsMerge(ITypeSymbol? type) => type?.BaseType is { Name: MergeBaseType } baseType && InModelDslNamespace(baseType) && InModelDslNamespace(type);

    /// <summary>ModelDsl.OutputAttribute, which marks a block as a model output.</summary>
    public static bool IsOutput(ITypeSymbol? type) => type is { Name: OutputType } && InModelDslNamespace(type);

    /// <summary>ModelDsl.InputAttribute, one named input of a model with several.</summary>
    public static bool IsInput(ITypeSymbol? type) => type is { Name: InputType } && InModelDslNamespace(type);

    /// <summary>ModelDsl.BlockAttribute, which makes a class a reusable block template.</summary>
    public static bool IsBlock(ITypeSymbol? type) => type is { Name: BlockType } && InModelDslNamespace(type);

    /// <summary>ModelDsl.WithAttribute, a template use's parameter values.</summary>
    public static bool IsWith(ITypeSymbol? type) => type is { Name: WithType } && InModelDslNamespace(type);

    /// <summary>ModelDsl.LayerAttribute, the base class of every layer attribute.</summary>
    public static bool IsLayerBase(ITypeSymbol? type) => type is { Name: LayerBaseType } && InModelDslNamespace(type);
}

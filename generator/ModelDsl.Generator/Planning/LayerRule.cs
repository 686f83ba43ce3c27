using System.Collections.Immutable;

namespace ModelDsl.Generator.Planning;

/// <summary>
/// Everything the generator knows about one layer attribute: validation, shape inference and the TorchSharp code.
/// One rule per file under Layers/; <see cref="LayerRules"/> lists them.
/// </summary>
internal abstract class LayerRule
{
    /// <summary>The attribute's short name (Dense for DenseAttribute).</summary>
    public abstract string Name { get; }

    /// <summary>The modules this attribute becomes; empty after reporting an error.</summary>
    public abstract ImmutableArray<LayerPart> Plan(LayerContext context);

    protected const string Nn = "global::TorchSharp.torch.nn";
    protected const string Modules = "global::TorchSharp.Modules";
}

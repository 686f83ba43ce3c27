using System.Collections.Immutable;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning;

/// <summary>
/// Everything the generator knows about one layer kind, and the only place that knows it: its options and their
/// defaults (read from the attribute once, in <see cref="Plan"/>), validation, shape inference, its traits
/// (<see cref="Traits"/>, and the role, output kind and vectorized form it sets on each <see cref="PlannedLayer"/>),
/// its construction and initialization as typed calls, and its summary row (display, comment, init summary).
/// One rule per file under Layers/; <see cref="LayerRules"/> lists them. docs/contributing.md: "Add a layer".
/// </summary>
internal abstract class LayerRule
{
    /// <summary>The attribute's short name (Dense for DenseAttribute).</summary>
    public abstract string Name { get; }

    /// <summary>The option defaults the rule reads, by option name: a test checks each against the attribute property's default.</summary>
    public virtual ImmutableDictionary<string, object> Defaults => ImmutableDictionary<string, object>.Empty;

    /// <summary>What other planners ask of this kind before it is planned (activation gains, transparency).</summary>
    public virtual LayerTraits Traits => LayerTraits.None;

    /// <summary>The negative slope a of an activation declaration, for He's gain √(2/(1+a²)); 0 unless the rule says otherwise.</summary>
    public virtual double NegativeSlope(AttributeDeclaration layer) => 0;

    /// <summary>
    /// The options that name another value of the graph whose tensor the layer reads besides its input (a decoder's
    /// Memory): a layer that gives one makes its model a graph, and the value counts as read.
    /// </summary>
    public virtual ImmutableArray<string> ValueOptions => ImmutableArray<string>.Empty;

    /// <summary>The modules this attribute becomes; empty after reporting an error.</summary>
    public abstract ImmutableArray<PlannedLayer> Plan(LayerContext context);

    protected const string Nn = "global::TorchSharp.torch.nn";
    protected const string Modules = "global::TorchSharp.Modules";
}

using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning;

/// <summary>
/// What a layer rule sees: its attribute, the inferred input shape, what follows it, and a diagnostics sink. Options are
/// read through it, so an option left out takes the default the rule declares (<see cref="LayerRule.Defaults"/>), the
/// one place a default is stated on the generator's side.
/// </summary>
internal sealed class LayerContext
{
    private readonly List<DiagnosticInfo> diagnostics;
    private readonly LayerRule rule;

    public LayerContext(LayerRule rule, AttributeDeclaration layer, EquatableArray<long> input, IReadOnlyList<AttributeDeclaration> following, List<DiagnosticInfo> diagnostics)
    {
        this.rule = rule;
        Layer = layer;
        Input = input;
        Following = following;
        this.diagnostics = diagnostics;
    }

    public AttributeDeclaration Layer { get; }

    /// <summary>The inferred input shape without the batch dimension.</summary>
    public EquatableArray<long> Input { get; }

    /// <summary>The layers after this one, through the end of the model (blocks chained in order).</summary>
    public IReadOnlyList<AttributeDeclaration> Following { get; }

    public bool HasErrors { get; private set; }

    /// <summary>True for the model's first layer (the only one that may read token ids).</summary>
    public bool IsFirst { get; init; }

    /// <summary>The layers before this one, in order (the names MD0063 lists).</summary>
    public IReadOnlyList<AttributeDeclaration> Preceding { get; init; } = System.Array.Empty<AttributeDeclaration>();

    /// <summary>True when a padding mask from the token ids is valid at this layer's input (its steps are the tokens').</summary>
    public bool PaddingMasked { get; init; }

    /// <summary>
    /// The shapes (without the batch dimension) of the values a layer may name, as a graph block's [From] reads them: the
    /// model's inputs ("input", or the [Input] names) and the blocks planned before this layer's block, by member name.
    /// Empty inside residual branches and template uses, whose layers see only their own input.
    /// </summary>
    public IReadOnlyDictionary<string, EquatableArray<long>> Values { get; init; } = new Dictionary<string, EquatableArray<long>>();

    /// <summary>
    /// The shape of the value <paramref name="name"/> that option <paramref name="option"/> names (Upsample's SizeOf, a
    /// decoder's Memory); when it names none of <see cref="Values"/>, reports <paramref name="descriptor"/> at the option
    /// with what it can name and returns null.
    /// </summary>
    public EquatableArray<long>? NamedValue(string option, string name, DiagnosticDescriptor descriptor, string display)
    {
        if (Values.TryGetValue(name, out EquatableArray<long> shape)) return shape;
        string readable = Values.Count == 0 ? "nothing here (inside a residual unit or a template use a layer sees only its own input)"
            : string.Join(", ", Values.Keys.Select(k => "'" + k + "'"));
        ReportAt(option, descriptor, display, $"{option} = \"{name}\" names no input or block declared above this layer's block; it can name {readable}");
        return null;
    }

    /// <summary>A numeric option (or a constructor argument, which has no default: 0 when missing, which the rule rejects).</summary>
    public double Number(string option) => Layer.Number(option, rule.Defaults.TryGetValue(option, out object? d) ? System.Convert.ToDouble(d, System.Globalization.CultureInfo.InvariantCulture) : 0);

    public bool Boolean(string option) => Layer.Boolean(option, (bool)rule.Defaults[option]);

    /// <summary>An enum option's member name (defaults are stated as member names).</summary>
    public string Enum(string option) => Layer.EnumMember(option, (string)rule.Defaults[option]);

    public void Report(DiagnosticDescriptor descriptor, params string[] arguments)
    {
        if (descriptor.DefaultSeverity == DiagnosticSeverity.Error) HasErrors = true;
        diagnostics.Add(new DiagnosticInfo(descriptor.Id, Layer.Location, arguments.ToEquatableArray()));
    }

    /// <summary>Reports at the argument <paramref name="option"/> when the declaration writes it, else at the attribute.</summary>
    public void ReportAt(string option, DiagnosticDescriptor descriptor, params string[] arguments)
    {
        if (descriptor.DefaultSeverity == DiagnosticSeverity.Error) HasErrors = true;
        diagnostics.Add(new DiagnosticInfo(descriptor.Id, Layer.Find(option)?.Location ?? Layer.Location, arguments.ToEquatableArray()));
    }

    /// <summary>Reports MD0003 unless <paramref name="value"/> is positive; returns whether it is.</summary>
    public bool RequirePositive(string what, double value)
    {
        if (value > 0) return true;
        Report(Diagnostics.Descriptors.NonPositiveSize, what, Invariant.Short(value));
        return false;
    }

    /// <summary>The activation that acts on this layer's output: the first one after it, looking through layers whose rule says they are transparent.</summary>
    public AttributeDeclaration? NextActivation()
    {
        foreach (AttributeDeclaration next in Following)
        {
            LayerTraits traits = LayerRules.Find(next.Name)?.Traits ?? LayerTraits.None;
            if (traits.Activation is not null) return next;
            if (!traits.TransparentToInitSearch) return null;
        }
        return null;
    }
}

using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning;

/// <summary>What a layer rule sees: its attribute, the inferred input shape, what follows it, and a diagnostics sink.</summary>
internal sealed class LayerContext
{
    private readonly List<DiagnosticInfo> diagnostics;

    public LayerContext(AttributeDeclaration layer, EquatableArray<long> input, IReadOnlyList<AttributeDeclaration> following, List<DiagnosticInfo> diagnostics)
    {
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

    public void Report(DiagnosticDescriptor descriptor, params string[] arguments)
    {
        if (descriptor.DefaultSeverity == DiagnosticSeverity.Error) HasErrors = true;
        diagnostics.Add(new DiagnosticInfo(descriptor.Id, Layer.Location, arguments.ToEquatableArray()));
    }

    /// <summary>Reports MD0003 unless <paramref name="value"/> is positive; returns whether it is.</summary>
    public bool RequirePositive(string what, double value)
    {
        if (value > 0) return true;
        Report(Diagnostics.Descriptors.NonPositiveSize, what, Invariant.Short(value));
        return false;
    }

    /// <summary>The activation that acts on this layer's output: the first one after it, skipping norms, dropout and noise.</summary>
    public AttributeDeclaration? NextActivation()
    {
        foreach (AttributeDeclaration next in Following)
        {
            if (Activations.IsActivation(next.Name)) return next;
            if (!Activations.IsTransparent(next.Name)) return null;
        }
        return null;
    }
}

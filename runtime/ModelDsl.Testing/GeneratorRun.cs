using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Testing;

/// <summary>The result of running the generator over source text: the models it generated and what it reported.</summary>
/// <param name="Models">One entry per generated model, in hint-name order.</param>
/// <param name="Diagnostics">Generator diagnostics formatted by Roslyn (<c>Model0.cs(6,2): warning MD0011: …</c>).</param>
public sealed record GeneratorRun(IReadOnlyList<GeneratedModel> Models, IReadOnlyList<string> Diagnostics)
{
    /// <summary>The only model; throws when there is not exactly one.</summary>
    public GeneratedModel Single()
        => Models.Count == 1
            ? Models[0]
            : throw new System.InvalidOperationException($"Expected one generated model but got {Models.Count} ({string.Join(", ", Models.Select(m => m.TypeName))}); diagnostics: {string.Join("; ", Diagnostics)}");
}

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Planning;

namespace ModelDsl.Generator.Diagnostics;

/// <summary>
/// MD0018 (info): two weight layers with only affine layers between them compute one affine map, so the depth buys
/// nothing, and He initialization assumes a ReLU follows. Info, not a warning: a linear model can be meant (the design
/// card's example is one), and TreatWarningsAsErrors must still build it. Checked along each path the generated forward
/// runs: the class stack and the named blocks in order, or each stack alone when the class writes its own forward.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MissingNonlinearityAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.NoNonlinearity);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(Analyze, SymbolKind.NamedType);
    }

    private static void Analyze(SymbolAnalysisContext context)
    {
        if (AnalyzedModel.Parse(context) is not { } parsed) return;
        IEnumerable<IEnumerable<AttributeDeclaration>> paths = parsed.HasUserForward
            ? parsed.Blocks.Select(b => (IEnumerable<AttributeDeclaration>)b.Layers)
            : parsed.IsGraph ? ChainsOf(parsed)
            : new[] { parsed.Blocks.SelectMany(WithActivationAfterSum) };
        foreach (IEnumerable<AttributeDeclaration> path in paths)
        {
            foreach (Diagnostic diagnostic in Check(path, context.Compilation, HelpLinks.For(Descriptors.NoNonlinearity, HelpLinks.Root(context.Options))))
                context.ReportDiagnostic(diagnostic);
        }
    }

    /// <summary>
    /// A graph model's chains: runs of blocks each reading the one before it; a block that reads by name (a branch, a
    /// join) or uses a template starts a new chain, so no advice crosses a connection the declaration does not make.
    /// </summary>
    private static IEnumerable<IEnumerable<AttributeDeclaration>> ChainsOf(ModelDeclaration model)
    {
        var chain = new List<AttributeDeclaration>();
        foreach (BlockDeclaration block in model.Blocks)
        {
            if (block.Input is not null || block.Template is not null)
            {
                yield return chain;
                chain = new List<AttributeDeclaration>();
            }
            chain.AddRange(WithActivationAfterSum(block));
        }
        yield return chain;
    }

    /// <summary>A block's layers, and for a [Residual] block with an Activation the activation it applies after the sum (a layer the attributes do not list).</summary>
    private static IEnumerable<AttributeDeclaration> WithActivationAfterSum(BlockDeclaration block)
        => block.Residual is { } residual && residual.EnumMember("Activation", "None") is not "None" and var activation
            ? block.Layers.Concat(new[] { new AttributeDeclaration(activation, EquatableArray<ArgumentValue>.Empty, residual.Location) })
            : block.Layers;

    /// <summary>Reports each weight layer whose output reaches the next weight layer through affine layers only.</summary>
    private static IEnumerable<Diagnostic> Check(IEnumerable<AttributeDeclaration> layers, Compilation compilation, DiagnosticDescriptor descriptor)
    {
        AttributeDeclaration? open = null;        // the last weight layer with no nonlinearity after it yet
        var between = new List<string>();
        foreach (AttributeDeclaration layer in layers)
        {
            // The rules say which layers hold weights and which are affine at inference (LayerTraits).
            LayerTraits? traits = LayerRules.Find(layer.Name)?.Traits;
            if (traits?.WeightLayer == true)
            {
                if (open is not null)
                {
                    string via = between.Count == 0 ? "directly" : "through " + string.Join(", ", between) + " only";
                    yield return Diagnostic.Create(descriptor, open.Location?.ToLocation(compilation), Describe(open), Describe(layer), via);
                }
                bool inlineActivation = layer.EnumMember("Activation", "None") != "None";
                open = inlineActivation ? null : layer;
                between.Clear();
            }
            else if (open is not null && traits?.AffineAtInference == true)
            {
                between.Add(layer.Name);
            }
            else
            {
                open = null;                       // an activation, max pooling or a per-sample norm: not affine
            }
        }
    }

    /// <summary><c>Dense(256)</c>: the layer and its first positional argument (units or output channels).</summary>
    private static string Describe(AttributeDeclaration layer)
        => layer.Arguments.FirstOrDefault(a => a.IsPositional) is { Kind: ArgumentKind.Number } first
            ? $"{layer.Name}({first.Number.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)})"
            : layer.Name;
}

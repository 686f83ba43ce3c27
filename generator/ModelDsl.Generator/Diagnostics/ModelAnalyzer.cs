using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Planning;

namespace ModelDsl.Generator.Diagnostics;

/// <summary>
/// Reports every diagnostic of a [Model] class by running the generator's own parse and plan steps. Validation lives
/// in an analyzer (the CommunityToolkit.Mvvm pattern) because diagnostics reported by a source generator carry
/// file-path locations, which #pragma warning disable and .editorconfig severities cannot reach.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ModelAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        Descriptors.All.Where(d => d.Id != Descriptors.LayerOutsideModel.Id).ToImmutableArray();

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(Analyze, SymbolKind.NamedType);
    }

    private static void Analyze(SymbolAnalysisContext context)
    {
        if (AnalyzedModel.Parse(context) is not { } parsed) return;
        string? helpRoot = HelpLinks.Root(context.Options);
        PlanResult result = ModelPlanner.Plan(parsed);
        foreach (DiagnosticInfo info in result.Diagnostics)
        {
            context.ReportDiagnostic(info.ToDiagnostic(context.Compilation, helpRoot));
        }
        // A model without errors is checked against the weights file it names, if any.
        if (result.Plan is { } plan && AnalyzedModel.ModelAttribute((INamedTypeSymbol)context.Symbol) is { } model)
        {
            foreach (Diagnostic diagnostic in WeightsFileCheck.Check(model, parsed, plan, context, helpRoot))
                context.ReportDiagnostic(diagnostic);
        }
    }
}

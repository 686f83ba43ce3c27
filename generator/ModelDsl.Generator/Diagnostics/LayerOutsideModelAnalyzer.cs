using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ModelDsl.Generator.Parsing;

namespace ModelDsl.Generator.Diagnostics;

/// <summary>
/// MD0006: a layer attribute, or [Residual], on a class (or a member of a class) without [Model]. The generator only
/// sees [Model] classes, so this is an analyzer: without it such attributes would be silently ignored.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LayerOutsideModelAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptors.LayerOutsideModel);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(Analyze, SymbolKind.NamedType, SymbolKind.Property, SymbolKind.Field);
    }

    private static void Analyze(SymbolAnalysisContext context)
    {
        INamedTypeSymbol? owner = context.Symbol as INamedTypeSymbol ?? context.Symbol.ContainingType;
        if (owner is null || owner.GetAttributes().Any(a => AttributeNames.IsModel(a.AttributeClass) || AttributeNames.IsBlock(a.AttributeClass))) return;
        foreach (AttributeData attribute in context.Symbol.GetAttributes())
        {
            if (!ModelParser.IsLayer(attribute.AttributeClass) && !AttributeNames.IsResidual(attribute.AttributeClass)) continue;
            Location? location = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation();
            context.ReportDiagnostic(Diagnostic.Create(HelpLinks.For(Descriptors.LayerOutsideModel, HelpLinks.Root(context.Options)), location ?? context.Symbol.Locations.FirstOrDefault(),
                attribute.AttributeClass!.Name.Replace("Attribute", ""), owner.Name));
        }
    }
}

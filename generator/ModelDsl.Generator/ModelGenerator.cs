using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Planning;

namespace ModelDsl.Generator;

/// <summary>
/// The pipeline, and only the pipeline: [Model] classes → parse (symbols to data) → plan (validate, infer shapes)
/// → emit one file per model. Diagnostics travel as data in a separate output, so a diagnostic-only change does
/// not regenerate source (System.Text.Json's split).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ModelGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ModelDeclaration> declarations = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeNames.Model,
                predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax,
                transform: static (ctx, ct) => ModelParser.Parse(ctx, ct))
            .WithTrackingName(TrackingNames.Declarations);

        IncrementalValuesProvider<PlanResult> plans = declarations
            .Select(static (declaration, _) => ModelPlanner.Plan(declaration))
            .WithTrackingName(TrackingNames.Plans);

        IncrementalValuesProvider<ModelPlan> sources = plans
            .Where(static r => r.Plan is not null)
            .Select(static (r, _) => r.Plan!)
            .WithTrackingName(TrackingNames.Sources);

        context.RegisterSourceOutput(sources, static (spc, plan) => spc.AddSource(plan.Type.HintName, ModelEmitter.Emit(plan)));
        context.RegisterSourceOutput(sources.Where(static p => p.Ensemble is not null),
            static (spc, plan) => spc.AddSource(plan.Ensemble!.HintName, EnsembleEmitter.Emit(plan)));

        IncrementalValuesProvider<Helpers.EquatableArray<DiagnosticInfo>> diagnostics = plans
            .Select(static (r, _) => r.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);

        context.RegisterSourceOutput(diagnostics, static (spc, list) =>
        {
            foreach (DiagnosticInfo info in list) spc.ReportDiagnostic(info.ToDiagnostic());
        });
    }
}

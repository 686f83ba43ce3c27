using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Planning;

namespace ModelDsl.Generator;

/// <summary>
/// The pipeline, and only the pipeline: [Model] classes → parse (symbols to data) → plan (validate, infer shapes)
/// → emit one file per model; a model with errors emits nothing. Its diagnostics are reported by
/// <see cref="Diagnostics.ModelAnalyzer"/> from the same parse and plan steps: an analyzer's diagnostics sit in the
/// user's syntax tree, so #pragma and .editorconfig severities work on them (a generator's do not).
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
                transform: static (ctx, ct) => ModelParser.IsFirstModelAttribute(ctx) ? ModelParser.Parse(ctx, ct) : null)
            .Where(static d => d is not null)
            .Select(static (d, _) => d!)
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
    }
}

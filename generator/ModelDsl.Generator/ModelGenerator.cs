using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Helpers;
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
        // Two cached steps, each tracked for the caching tests, then the output. ForAttributeWithMetadataName re-runs its
        // transform for every [Model] class whenever the compilation changes, and every further step walks all models
        // again on each run, so the pipeline keeps to the steps that cache real work: parse (null for the second
        // declaration of a class that carries [Model] twice), plan (null when the model has errors, which the analyzer
        // reports), emit. Fewer steps measurably cheapened the re-run (docs/benchmarks.md, Generator). The one addition
        // since, the hint-name collision list, is a cheap Select + Collect over the plans.
        IncrementalValuesProvider<ModelDeclaration?> declarations = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeNames.Model,
                predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax, // records too, to report MD0053
                transform: static (ctx, ct) => ModelParser.IsFirstModelAttribute(ctx) ? ModelParser.Parse(ctx, ct) : null)
            .WithTrackingName(TrackingNames.Declarations);

        IncrementalValuesProvider<ModelPlan?> sources = declarations
            .Select(static (declaration, _) => declaration is null ? null : ModelPlanner.Plan(declaration).Plan)
            .WithTrackingName(TrackingNames.Sources);

        // Hint names must be unique ignoring case (HintNames): the few models whose names agree ignoring case get a hash
        // suffix. The collision list is almost always empty and changes only when such a model is added or renamed, so
        // combining it with each plan keeps every other output cached.
        IncrementalValueProvider<EquatableArray<string>> caseCollisions = sources
            .Select(static (plan, _) => plan?.Type.HintName)
            .Collect()
            .Select(static (hints, _) => HintNames.CaseCollisions(hints.OfType<string>()));

        context.RegisterSourceOutput(sources.Combine(caseCollisions).WithTrackingName(TrackingNames.Outputs), static (spc, input) =>
        {
            var (plan, collisions) = input;
            if (plan is null) return;
            string hint = HintNames.For(plan.Type.HintName, collisions);
            spc.AddSource(hint + ".g.cs", ModelEmitter.Emit(plan));
            if (plan.Ensemble is not null) spc.AddSource(hint + "+Ensemble.g.cs", EnsembleEmitter.Emit(plan));
        });
    }
}

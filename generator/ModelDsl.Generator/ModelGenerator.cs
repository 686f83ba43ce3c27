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
        // One cached step, tracked for the caching tests, then the output. ForAttributeWithMetadataName re-runs its
        // transform for every [Model] class whenever the compilation changes, and every further step walks all models
        // again on each run, so the pipeline keeps to the one step that caches real work: parse (null for the second
        // declaration of a class that carries [Model] twice). Plan and emit run in the output, which Roslyn calls only
        // for a declaration that changed; a model with errors (reported by the analyzer) emits nothing. Each step removed
        // measurably cheapened the re-run (docs/benchmarks.md, Generator).
        IncrementalValuesProvider<ModelDeclaration?> declarations = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeNames.Model,
                predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax, // records too, to report MD0053
                transform: static (ctx, ct) => ModelParser.IsFirstModelAttribute(ctx) ? ModelParser.Parse(ctx, ct) : null)
            .WithTrackingName(TrackingNames.Declarations);

        // Hint names must be unique ignoring case (HintNames): the few models whose names agree ignoring case get a hash
        // suffix. The collision list is almost always empty and changes only when such a model is added or renamed, so
        // combining it with each declaration keeps every other output cached.
        IncrementalValueProvider<EquatableArray<string>> caseCollisions = declarations
            .Select(static (declaration, _) => declaration?.Type.HintName)
            .Collect()
            .Select(static (hints, _) => HintNames.CaseCollisions(hints.OfType<string>()));

        context.RegisterSourceOutput(declarations.Combine(caseCollisions).WithTrackingName(TrackingNames.Outputs), static (spc, input) =>
        {
            var (declaration, collisions) = input;
            if (declaration is null || ModelPlanner.Plan(declaration).Plan is not { } plan) return;
            string hint = HintNames.For(plan.Type.HintName, collisions);
            spc.AddSource(hint + ".g.cs", ModelEmitter.Emit(plan));
            if (plan.Ensemble is not null) spc.AddSource(hint + "+Ensemble.g.cs", EnsembleEmitter.Emit(plan));
        });
    }
}

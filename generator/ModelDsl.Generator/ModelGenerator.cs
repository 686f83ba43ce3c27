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
/// → emit one file per model; a model with errors emits its public surface only (members that throw). Its diagnostics are reported by
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
        // for a declaration that changed; a model with errors (reported by the analyzer) emits only its public surface. Each step removed
        // measurably cheapened the re-run (docs/benchmarks.md, Generator).
        IncrementalValuesProvider<ModelDeclaration?> declarations = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeNames.Model,
                predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax, // records too, to report MD0053
                transform: static (ctx, ct) => ModelParser.IsFirstModelAttribute(ctx) ? ModelParser.Parse(ctx, ct) : null)
            .WithTrackingName(TrackingNames.Declarations);

        // [Block] templates: the class itself (its constructor over its blocks and its forward); each use is planned in
        // the model that declares it.
        IncrementalValuesProvider<TemplateDeclaration> templates = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeNames.Block,
                predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax,
                transform: static (ctx, ct) => ModelParser.ParseTemplate((INamedTypeSymbol)ctx.TargetSymbol, withLocations: false, ct))
            .WithTrackingName(TrackingNames.Templates);
        context.RegisterSourceOutput(templates, static (spc, template) => spc.AddSource(template.Type.HintName + ".g.cs", TemplateEmitter.Emit(template)));

        // Hint names are unique ignoring case by themselves (the parse step hashes the few whose names have a case twin:
        // CaseTwins), so each output depends on its own declaration only.
        context.RegisterSourceOutput(declarations, static (spc, declaration) =>
        {
            if (declaration is null) return;
            PlanResult result = ModelPlanner.Plan(declaration);
            if (result.Plan is { } plan)
            {
                spc.AddSource(plan.Type.HintName + ".g.cs", ModelEmitter.Emit(plan));
                if (plan.Ensemble is not null) spc.AddSource(plan.Type.HintName + "+Ensemble.g.cs", EnsembleEmitter.Emit(plan));
            }
            if (result.Surface is { } surface)
            {
                // A model (or only its ensemble) with errors still gets its public surface, so the MD errors are the build's only ones.
                spc.AddSource(surface.Type.HintName + (surface.IncludesModel ? ".g.cs" : "+Ensemble.g.cs"), SurfaceEmitter.Emit(surface));
            }
        });
    }
}

using Microsoft.CodeAnalysis;

namespace ModelDsl.Benchmarks.Generator;

/// <summary>
/// The least a generator keyed on [Model] can do: ForAttributeWithMetadataName with a transform that reads only the
/// class name, and a one-line file per class. Timed beside ModelGenerator, it separates Roslyn's own cost per run
/// (finding the attributed classes, re-running every transform when the compilation changes) from ModelDsl's.
/// </summary>
// No [Generator]: it is driven directly by the benchmark, never loaded by a compiler.
public sealed class FloorGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<string> names = context.SyntaxProvider.ForAttributeWithMetadataName(
            "ModelDsl.ModelAttribute",
            predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax,
            transform: static (ctx, _) => ctx.TargetSymbol.ToDisplayString());
        context.RegisterSourceOutput(names, static (spc, name) => spc.AddSource(name + ".floor.g.cs", "// " + name));
    }
}

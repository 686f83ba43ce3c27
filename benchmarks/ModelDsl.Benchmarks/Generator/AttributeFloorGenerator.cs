using System.Linq;
using Microsoft.CodeAnalysis;

namespace ModelDsl.Benchmarks.Generator;

/// <summary>
/// The least a generator that reads a model's blocks can do: <see cref="FloorGenerator"/>, plus the compiler's binding of
/// every attribute on the class and on each of its members (what ModelParser must read), and optionally a file of a given
/// size per class (the text ModelDsl writes, to time what the driver does with that much generated text). Timed beside
/// ModelGenerator, what is left is ModelDsl's own parse, plan and emit.
/// </summary>
// No [Generator]: it is driven directly by the benchmark, never loaded by a compiler.
public sealed class AttributeFloorGenerator(string? text = null) : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<string> names = context.SyntaxProvider.ForAttributeWithMetadataName(
            "ModelDsl.ModelAttribute",
            predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax,
            transform: static (ctx, _) =>
            {
                var type = (INamedTypeSymbol)ctx.TargetSymbol;
                int attributes = type.GetAttributes().Length + type.GetMembers().Sum(m => m.GetAttributes().Length);
                return type.ToDisplayString() + " " + attributes;
            });
        context.RegisterSourceOutput(names, (spc, name) => spc.AddSource(name.Split(' ')[0] + ".floor.g.cs", text ?? "// " + name));
    }
}

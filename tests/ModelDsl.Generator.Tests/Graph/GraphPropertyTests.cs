using System.Linq;
using CsCheck;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Graph;

/// <summary>
/// The generator's promise over random graphs (CsCheck, seeded and bounded): random inputs, blocks that read earlier,
/// later, unknown or no names through [From] and every merge, layers that change ranks and channels, [Output]s, residual
/// blocks, ensembles and hand-written forwards. The generator never throws, nothing the compiler reports sits in a
/// generated file, and every compilation that fails carries an MD error.
/// </summary>
public class GraphPropertyTests
{
    private const string Seed = "0000002gR4ph";

    private const int Iterations = 200;

    private static readonly string[] Layers =
    {
        "Dense(3)", "Dense(4)", "ReLU", "Flatten", "Conv2d(4, 3, Padding = 1)", "Conv2d(2, 1)", "MaxPool2d(2)", "GlobalAvgPool",
        "BatchNorm", "Dropout(0.5)", "Sigmoid", "AvgPool2d(8)", "Dense(0)",
    };

    private static readonly Gen<string> Input =
        from name in Gen.Frequency((6, Gen.OneOf("image", "meta", "extra")), (1, Gen.OneOf("input", "x", "class", "Input", "b0", "2d")))
        from shape in Gen.Frequency((6, Gen.OneOf("4", "3", "1, 8, 8", "2, 8, 8")), (1, Gen.OneOf("4, 8, 8", "0")))
        select $"Input(\"{name}\", {shape})";

    /// <summary>A source: mostly an index into what the block can read (inputs, earlier blocks), sometimes a later or unknown name.</summary>
    private static readonly Gen<int> Source = Gen.Frequency((40, Gen.Int[0, 9]), (1, Gen.Const(-1)), (1, Gen.Const(-2)), (1, Gen.Const(-3)));

    /// <summary>Layers that keep vectors vectors (most blocks), so many random graphs are ones the generator writes.</summary>
    private static readonly Gen<string> VectorLayer = Gen.OneOf("Dense(3)", "Dense(4)", "ReLU", "BatchNorm", "Dropout(0.5)", "Sigmoid");

    private static readonly Gen<Block> BlockGen =
        from layers in Gen.Frequency((4, VectorLayer.Array[0, 3]), (1, Gen.OneOf(Layers).Array[0, 3]))
        from merge in Gen.OneOf("", "", "From", "Concatenate", "Add", "Multiply", "Average")
        from sources in Gen.Frequency((8, Source.Array[2, 3]), (1, Source.Array[1, 1]))
        from output in Gen.Frequency((3, Gen.Const(false)), (1, Gen.Const(true)))
        from residual in Gen.Frequency((6, Gen.Const(false)), (1, Gen.Const(true)))
        from second in Gen.Frequency((30, Gen.Const("")), (1, Gen.Const("From(\"input\")")))
        select new Block(layers, merge, sources, output, residual, second);

    private static readonly Gen<Declaration> Declarations =
        from shape in Gen.OneOf("4", "4", "4", "1, 8, 8", "2, 8, 8", "")
        from inputs in Gen.Frequency((3, Gen.Const(System.Array.Empty<string>())), (2, Input.Array[1, 3]))
        from stack in Gen.Frequency((3, VectorLayer.Array[0, 2]), (1, Gen.OneOf(Layers).Array[0, 2]))
        from blocks in BlockGen.Array[1, 5]
        from options in Gen.OneOf("", "", "[Ensemble(2)]", "[Ensemble(2, Vectorized = true)]", "[WeightDecay(L2 = 1e-4)]")
        from userForward in Gen.Frequency((9, Gen.Const(false)), (1, Gen.Const(true)))
        select new Declaration(shape, inputs, stack, blocks, options, userForward);

    private static int generated;

    [Fact]
    public void Every_random_graph_gets_compiling_code_or_an_MD_error()
    {
        generated = 0;
        SeededSweep.Run(Declarations, Check, Seed, Iterations, d => d.Source());
        // The sweep must reach graphs the generator writes, not only declarations it refuses.
        Assert.True(generated >= Iterations / 8, $"only {generated} of {Iterations} random graphs were generated without errors");
    }

    private static void Check(Declaration declaration)
    {
        GeneratorResult result = GeneratorHarness.Run(declaration.Source());
        if (!result.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error) && result.Files.Count > 0) generated++;
        Assert.All(result.RunResult.Results, r => Assert.Null(r.Exception));
        Assert.DoesNotContain(result.RunResult.Diagnostics, d => d.Id == "CS8785");
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "MD0099");
        var inGenerated = result.CompilerDiagnostics.Where(d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", System.StringComparison.Ordinal) == true).ToList();
        Assert.True(inGenerated.Count == 0, "in a generated file: " + string.Join("\n", inGenerated));
        if (result.CompilerDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            Assert.True(result.Diagnostics.Any(d => d.Id.StartsWith("MD", System.StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error),
                "the compilation fails without an MD error:\n" + string.Join("\n", result.CompilerDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }
    }

    private sealed record Block(string[] Layers, string Merge, int[] Sources, bool Output, bool Residual, string Second)
    {
        public string Render(int index, string[] inputs)
        {
            var readable = inputs.Concat(Enumerable.Range(0, index).Select(i => "B" + i)).ToList();
            string Name(int source) => source switch
            {
                -1 => "Missing",
                -2 => "B" + index, // itself
                -3 => "B" + (index + 1), // a later block (or none)
                _ => readable[source % readable.Count],
            };
            var attributes = new System.Collections.Generic.List<string>();
            if (Residual && (Layers.Length > 0 || Merge == "Add")) attributes.Add("Residual");
            if (Merge == "From") attributes.Add($"From(\"{Name(Sources[0])}\")");
            else if (Merge.Length > 0) attributes.Add($"{Merge}({string.Join(", ", Sources.Select(s => $"\"{Name(s)}\""))})");
            if (Second.Length > 0) attributes.Add(Second);
            if (Output) attributes.Add("Output");
            attributes.AddRange(Layers);
            if (attributes.Count == 0) attributes.Add("ReLU"); // a partial property with no attribute is no block, and the user's own CS9248
            string list = attributes.Count == 0 ? "" : "[" + string.Join(", ", attributes) + "] ";
            return $"    {list}public partial Sequential B{index} {{ get; }}";
        }
    }

    private sealed record Declaration(string Shape, string[] Inputs, string[] Stack, Block[] Blocks, string Options, bool UserForward)
    {
        private string[] InputNames()
            => Inputs.Length == 0 ? new[] { "input" } : Inputs.Select(i => i.Substring("Input(\"".Length, i.IndexOf('"', "Input(\"".Length) - "Input(\"".Length)).ToArray();

        public string Source()
        {
            // With [Input]s the shape goes there ([Model] alone); "1, 8, 8" keeps the MD0097 of a shape in both.
            string model = Inputs.Length > 0 && Shape != "1, 8, 8" ? "[Model]" : $"[Model({Shape})]";
            string inputs = Inputs.Length == 0 ? "" : "[" + string.Join(", ", Inputs) + "]";
            string stack = Stack.Length == 0 ? "" : "[" + string.Join(", ", Stack) + "]";
            string forward = UserForward ? "\n    public override TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor input) => input;" : "";
            return GraphGeneratorTests.Usings + "#pragma warning disable CS8981\n"
                + $"{model} {inputs} {stack} {Options}\npublic partial class Net\n{{\n{string.Join("\n", Blocks.Select((b, i) => b.Render(i, InputNames())))}{forward}\n}}\n";
        }
    }
}

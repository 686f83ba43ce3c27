using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// The incrementality promise the benchmarks time, asserted by counting instead of timing: with step tracking on, a
/// re-run after an edit outside any model regenerates no file, and after editing one model exactly that model's file.
/// Ten models in ten files keep it fast; the count does not depend on the number of models.
/// </summary>
public class IncrementalRegenerationTests
{
    private const int Models = 10;

    private static string Model(int i, int outputs) => i % 2 == 0
        ? $$"""
            using ModelDsl;
            using static ModelDsl.Init;
            namespace Corpus;
            [Model(784)]
            [Dense(256, Init = He), BatchNorm, Dropout(0.5)]
            [Dense({{outputs}})]
            public partial class Stack{{i}} { }
            """
        : $$"""
            using ModelDsl;
            using TorchSharp.Modules;
            using static ModelDsl.Init;
            namespace Corpus;
            [Model(64)]
            public partial class Blocks{{i}}
            {
                [Dense(32, Init = Xavier), LayerNorm, Tanh]
                public partial Sequential Hidden { get; }
                [Dense({{outputs}})]
                public partial Sequential Head { get; }
            }
            """;

    private const string Unrelated = "namespace Corpus; public static class Helpers { public static int Answer() => 42; }";

    [Fact]
    public void Unrelated_edit_regenerates_no_file_and_one_model_edit_regenerates_one()
    {
        string[] sources = Enumerable.Range(0, Models).Select(i => Model(i, 10)).Append(Unrelated).ToArray();
        CSharpCompilation compilation = GeneratorHarness.Compilation(sources);
        GeneratorDriver driver = GeneratorHarness.Driver(trackSteps: true).RunGenerators(compilation);
        GeneratorDriverRunResult cold = driver.GetRunResult();
        Assert.Empty(cold.Diagnostics);
        Assert.Equal(Models, RegeneratedFiles(cold));

        SyntaxTree unrelatedTree = compilation.SyntaxTrees.Last();
        CSharpCompilation unrelatedEdit = compilation.ReplaceSyntaxTree(unrelatedTree,
            CSharpSyntaxTree.ParseText(Unrelated.Replace("42", "43"), GeneratorHarness.ParseOptions, unrelatedTree.FilePath));
        Assert.Equal(0, RegeneratedFiles(driver.RunGenerators(unrelatedEdit).GetRunResult()));

        SyntaxTree modelTree = compilation.SyntaxTrees.ElementAt(Models / 2);
        CSharpCompilation modelEdit = compilation.ReplaceSyntaxTree(modelTree,
            CSharpSyntaxTree.ParseText(Model(Models / 2, 11), GeneratorHarness.ParseOptions, modelTree.FilePath));
        GeneratorDriverRunResult edited = driver.RunGenerators(modelEdit).GetRunResult();
        Assert.Equal(1, RegeneratedFiles(edited));
        Assert.Contains(edited.GeneratedTrees, t => t.FilePath.EndsWith($"Blocks{Models / 2}.g.cs", System.StringComparison.Ordinal)
            || t.FilePath.EndsWith($"Stack{Models / 2}.g.cs", System.StringComparison.Ordinal));
    }

    [Fact]
    public void Moving_models_within_their_file_regenerates_nothing()
    {
        // Two models in one file; a comment line added above both shifts every line and span in it. The generator
        // reads no source positions (only the analyzer's diagnostics need them), so the parsed models compare equal
        // and nothing after the parse step runs again.
        string twoModels = Model(0, 10) + "\n" + Model(2, 10).Replace("using ModelDsl;\nusing static ModelDsl.Init;\nnamespace Corpus;\n", "");
        CSharpCompilation compilation = GeneratorHarness.Compilation(twoModels);
        GeneratorDriver driver = GeneratorHarness.Driver(trackSteps: true).RunGenerators(compilation);
        Assert.Empty(driver.GetRunResult().Diagnostics);
        Assert.Equal(2, RegeneratedFiles(driver.GetRunResult()));

        SyntaxTree tree = compilation.SyntaxTrees.First();
        CSharpCompilation moved = compilation.ReplaceSyntaxTree(tree,
            CSharpSyntaxTree.ParseText("// a line that moves both models down\n" + twoModels, GeneratorHarness.ParseOptions, tree.FilePath));
        GeneratorDriverRunResult rerun = driver.RunGenerators(moved).GetRunResult();
        Assert.Equal(0, RegeneratedFiles(rerun));
        var parsed = rerun.Results[0].TrackedSteps[TrackingNames.Declarations].SelectMany(step => step.Outputs).ToArray();
        Assert.Equal(2, parsed.Length);
        Assert.All(parsed, output => Assert.True(output.Reason is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached, $"parsed model {output.Reason}"));
    }

    /// <summary>Source outputs fed by the Declarations step (one per model) that ran again: New or Modified.</summary>
    private static int RegeneratedFiles(GeneratorDriverRunResult run)
    {
        ImmutableArray<IncrementalGeneratorRunStep> steps = run.Results[0].TrackedOutputSteps["SourceOutput"];
        return steps
            .Where(step => step.Inputs.Any(input => input.Source.Name == TrackingNames.Declarations))
            .SelectMany(step => step.Outputs)
            .Count(output => output.Reason is IncrementalStepRunReason.New or IncrementalStepRunReason.Modified);
    }
}

using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// Half-typed code must never crash the generator: a crash is only warning CS8785 and no output, which users see as
/// a flood of missing-member errors (dotnet/roslyn #64175). Every prefix of a valid model is run through it.
/// </summary>
public class RobustnessTests
{
    private const string Model = """
        using ModelDsl;
        using TorchSharp.Modules;
        using static ModelDsl.Init;

        namespace Demo;

        [Model(784)]
        [Dense(256, Init = He, Activation = Activation.ReLU), BatchNorm(Momentum = 0.1), Dropout(Keep = 0.8)]
        public partial class Typed
        {
            [Dense(10, Init = Xavier, BiasInit = Constant, BiasValue = 0.5), LogSoftmax]
            public partial Sequential Head { get; }
        }
        """;

    [Fact]
    public void Every_prefix_of_a_valid_model_runs_without_exception_or_CS8785()
    {
        var compilation = GeneratorHarness.Compilation("");
        var driver = GeneratorHarness.Driver();
        // Prefixes ending at every character of the attribute lines and the block, and at every line elsewhere.
        int attributesStart = Model.IndexOf("[Model", System.StringComparison.Ordinal);
        var cuts = Enumerable.Range(0, Model.Length + 1).Where(i => i >= attributesStart || Model[i - 1 < 0 ? 0 : i - 1] == '\n');
        foreach (int cut in cuts)
        {
            var tree = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(Model.Substring(0, cut), GeneratorHarness.ParseOptions, path: "Prefix.cs");
            var run = driver.RunGenerators(compilation.AddSyntaxTrees(tree)).GetRunResult();
            Assert.All(run.Results, r => Assert.Null(r.Exception));
            Assert.DoesNotContain(run.Diagnostics, d => d.Id is "CS8785" or "MD0099");
        }
    }

    [Fact]
    public void Unresolved_types_in_arguments_generate_nothing_bogus()
    {
        var result = GeneratorHarness.Run("""
            using ModelDsl;
            [Model(4)]
            [Dense(Missing.Units, Init = NoSuchInit)]
            public partial class Broken { }
            """);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "MD0099");
        Assert.All(result.Files.Values, f => Assert.DoesNotContain("Linear(4, 0", f));
    }

    [Fact]
    public void Model_on_two_partial_declarations_is_generated_once()
    {
        // [Model] twice is the compiler's CS0579; the generator must still not crash (CS8785) or emit the file twice.
        var result = GeneratorHarness.Run("""
            using ModelDsl;
            [Model(4)] [Dense(2)] public partial class Twice { }
            [Model(4)] public partial class Twice { }
            """);
        Assert.Single(result.Files);
        Assert.DoesNotContain(result.RunResult.Diagnostics, d => d.Id == "CS8785");
    }

    [Fact]
    public void A_user_type_named_like_a_generated_ensemble_is_MD0054_not_a_crash()
    {
        // MlpEnsemble is both a user [Model] class and the name of Mlp's generated ensemble.
        var result = GeneratorHarness.Run("""
            using ModelDsl;
            [Model(4)] [Dense(3)] [Ensemble(3)] public partial class Mlp { }
            [Model(4)] [Dense(3)] public partial class MlpEnsemble { }
            """);
        Assert.DoesNotContain(result.RunResult.Diagnostics, d => d.Id == "CS8785");
        Assert.Contains(result.Diagnostics, d => d.Id == "MD0054" && d.GetMessage().Contains("MlpEnsemble"));
        // MlpEnsemble is generated; Mlp gets its surface only, without the ensemble whose name is taken.
        Assert.Equal(new[] { "Mlp.g.cs", "MlpEnsemble.g.cs" }, result.Files.Keys.OrderBy(k => k, System.StringComparer.Ordinal));
        Assert.DoesNotContain("class MlpEnsemble", result.Files["Mlp.g.cs"]);
        Assert.Empty(result.CompilerDiagnostics);
    }
}

using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Declarations;

/// <summary>
/// Issue #23 §5: a model with an MD error still gets its public surface, so code using it compiles and the MD errors
/// are the build's only errors (not CS1739 for <c>new Mlp(seed: 1)</c>, CS1061 for <c>model.Summary()</c>, CS9248 for
/// a partial block property), with the generated surface free of warnings.
/// </summary>
public class ErrorSurfaceTests
{
    private const string Usings = "using ModelDsl;\nusing TorchSharp.Modules;\nusing static ModelDsl.Init;\n";

    /// <summary>Declarations that cannot take a generated part: they get no surface, so code using them cannot compile.</summary>
    private static readonly HashSet<string> NoPart = new() { "MD0001", "MD0017", "MD0052", "MD0053" };

    /// <summary>
    /// Errors about a weights file and its renames (MD0100–MD0107): the analyzer compares the declaration with a file,
    /// whose mismatch changes no generated code, so the model is generated in full (tested below, not swept).
    /// </summary>
    private static readonly HashSet<string> GeneratedInFull = new() { "MD0100", "MD0101", "MD0102", "MD0103", "MD0104", "MD0105", "MD0106", "MD0107" };

    /// <summary>One case per error descriptor whose cases live in the tests of its area (inline data there).</summary>
    private static readonly (string, string)[] Others =
    {
        ("[Model(4)] [WeightDecay(L2 = 1e-4)] [[|Dense(4, Group = \"body\")|]] public partial class Decay { }", "MD0020"),
        ("[Model(4)] [[|WeightDecay(L2 = -1e-4)|]] [Dense(4)] public partial class Decay { }", "MD0022"),
        ("[Model(4)] [WeightDecay(L2 = 1e-4)] [[|WeightDecay(L2 = 1e-3)|]] [Dense(4)] public partial class Decay { }", "MD0023"),
        ("[Model(1, 3, 3)] [[|MaxPool2d(4)|], Flatten, Dense(10)] public partial class Cnn { }", "MD0031"),
        ("[Model(1, 8, 8)] [Conv2d(16, 3), [|GroupNorm(6)|], Flatten, Dense(10)] public partial class Cnn { }", "MD0032"),
        ("[Model(1, 8, 8)] [Conv2d(4, 3), Flatten, [|InstanceNorm|], Dense(10)] public partial class Cnn { }", "MD0034"),
        ("[Model(784)] [[|Conv2d(8, 3)|], Flatten, Dense(10)] public partial class Cnn { }", "MD0035"),
        ("[Model(1, 28, 28)] [[|Conv2d(8, 5, Stride = 2, Padding = Padding.Same)|], Flatten, Dense(10)] public partial class Cnn { }", "MD0036"),
        ("[Model(1, 28, 28)] [[|Conv2d(8, 3, Padding = -1)|], Flatten, Dense(10)] public partial class Cnn { }", "MD0037"),
        ("[Model(4)] [Dense(2)] [[|Ensemble(1)|]] public partial class Voters { }", "MD0040"),
        ("[Model(4)] [Dense(1)] [[|Ensemble(3, Aggregation = Aggregation.SoftVote)|]] public partial class Voters { }", "MD0042"),
        ("[Model(4)] [Dense(2)] [[|Ensemble(3, Aggregation = Aggregation.Mean, Weights = new[] { 1.0, 2.0, 3.0 })|]] public partial class Voters { }", "MD0044"),
        ("[Model(12)] [[|TransformerEncoder(2, 16)|]] public partial class Seq { }", "MD0060"),
        ("[Model(10, 6)] [[|TransformerEncoder(4, 16)|]] public partial class Seq { }", "MD0061"),
        ("[Model(1, 28, 28)] [[|PatchEmbedding(5, 8)|]] public partial class Seq { }", "MD0062"),
    };

    /// <summary>Every error case of the diagnostic tests whose class can take a generated part, one per descriptor and more.</summary>
    public static TheoryData<string, string> Errors()
    {
        var data = new TheoryData<string, string>();
        IEnumerable<(string Marked, string Id)> cases =
            DiagnosticTests.Cases.Select(c => ((string)c[0], (string)c[1], (DiagnosticSeverity)c[2])).Where(c => c.Item3 == DiagnosticSeverity.Error).Select(c => (c.Item1, c.Item2))
                .Concat(DeclarationDiagnosticsTests.Cases.Select(c => ((string)c[0], (string)c[1])))
                .Concat(Others);
        foreach (var (marked, id) in cases)
        {
            if (NoPart.Contains(id) || GeneratedInFull.Contains(id) || ModelClass(marked) is null) continue;
            // A virtual member of a sealed class is the compiler's own CS0549 on the user's declaration, beside MD0014.
            if (marked.Contains("sealed partial class") && marked.Contains("virtual")) continue;
            data.Add(marked, id);
        }
        return data;
    }

    /// <summary>The [Model] class of a case when code outside can name it (top level, not generic), else null.</summary>
    private static ClassDeclarationSyntax? ModelClass(string marked)
        => CSharpSyntaxTree.ParseText(MarkedSource.Parse(marked).Text).GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>()
            .FirstOrDefault(c => c.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() == "Model")
                && c.Parent is CompilationUnitSyntax && c.TypeParameterList is null);

    [Theory]
    [MemberData(nameof(Errors))]
    public void Code_using_a_model_with_an_error_compiles_and_only_MD_errors_remain(string marked, string id)
    {
        ClassDeclarationSyntax model = ModelClass(marked)!;
        string name = model.Identifier.ValueText;
        bool ensemble = model.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() == "Ensemble");
        bool clash = id is "MD0054" or "MD0080"; // a member the user took is left out of the surface (GeneratedNameSweepTests)
        string use = $$"""
            public static class UseIt
            {
                public static string Run()
                {
                    {{name}} model = new {{name}}(seed: 1, device: TorchSharp.torch.CPU, dtype: TorchSharp.torch.ScalarType.Float32);
                    {{(clash ? "" : "TorchSharp.torch.Tensor y = model.forward(TorchSharp.torch.zeros(1, 4));")}}
                    {{(clash ? "" : "System.Collections.Generic.IReadOnlyList<long> shape = model.InputShape;")}}
                    {{(ensemble && !clash ? $"TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> all = new {name}Ensemble(seed: 2);" : "")}}
                    return {{(clash ? "\"\"" : "model.Summary()")}};
                }
            }
            """;
        GeneratorResult result = GeneratorHarness.Run(Usings + MarkedSource.Parse(marked).Text, Usings + use);

        Assert.Contains(result.Diagnostics, d => d.Id == id && d.Severity == DiagnosticSeverity.Error);
        Assert.All(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error), d => Assert.StartsWith("MD", d.Id));
        Assert.True(result.CompilerDiagnostics.IsEmpty, string.Join("\n", result.CompilerDiagnostics));
        // The surface names the error; an ensemble error leaves the model generated and only the ensemble a surface.
        Assert.Contains(result.Files, f => f.Value.Contains("was not generated because of the ModelDsl error") && f.Value.Contains(id));
        Assert.DoesNotContain(result.CompilerDiagnostics, d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", System.StringComparison.Ordinal) == true);
    }

    [Fact]
    public void The_sweep_has_every_error_descriptor_whose_class_can_take_a_part()
    {
        // MD0006 is a layer on a class without [Model] (no model to use), MD0099 an internal error, MD0024 weight noise
        // on a layer whose attribute has no WeightNoise (no declaration can make either), MD0056 needs two files (below).
        var swept = Errors().Select(c => (string)c[1]).ToHashSet();
        var missing = Generator.Diagnostics.Descriptors.All
            .Where(d => d.DefaultSeverity == DiagnosticSeverity.Error && !NoPart.Contains(d.Id) && !GeneratedInFull.Contains(d.Id) && d.Id is not "MD0006" and not "MD0099" and not "MD0024" and not "MD0056")
            .Select(d => d.Id).Where(id => !swept.Contains(id)).OrderBy(id => id).ToList();
        Assert.True(missing.Count == 0, "not swept: " + string.Join(", ", missing));
    }

    [Theory]
    [InlineData("[Model(4, WeightsFile = \"net.safetensors\")] [Dense(2)] public partial class Checked { }", "MD0100")]
    [InlineData("[Model(4)] [RenameWeights(\"features.0\", \"stem.conv\")] [Dense(2)] public partial class Checked { }", "MD0106")]
    [InlineData("[Model(4)] [RenameWeights(\"features.{n}\", \"dense\")] [Dense(2)] public partial class Checked { }", "MD0107")]
    public void A_weights_file_error_leaves_the_model_generated_in_full(string declaration, string id)
    {
        GeneratorResult result = GeneratorHarness.Run(Usings + declaration);
        Assert.Contains(result.Diagnostics, d => d.Id == id && d.Severity == DiagnosticSeverity.Error);
        Assert.True(result.CompilerDiagnostics.IsEmpty, string.Join("\n", result.CompilerDiagnostics));
        Assert.DoesNotContain(result.Files, f => f.Value.Contains("was not generated because of the ModelDsl error"));
        Assert.Contains(result.Files, f => f.Value.Contains("register_module(\"dense\""));
    }

    [Theory]
    [InlineData(LanguageVersion.CSharp9)]
    [InlineData(LanguageVersion.CSharp10)]
    public void The_surface_compiles_from_CSharp_9(LanguageVersion version)
    {
        // Field blocks (partial properties need C# 13); C# 9 gets a block namespace, C# 10 a file-scoped one.
        var options = new CSharpParseOptions(version);
        GeneratorResult result = GeneratorHarness.Run(options, Usings + """
            namespace Demo
            {
                [Model(4)] [Dense(0)] [Ensemble(2)] public partial class Old { [Dense(2)] private Sequential? head; public Sequential? Head => head; }
                public static class UseIt { public static string Run() => new Old(seed: 1).Summary() + new OldEnsemble(seed: 2).GetName(); }
            }
            """);
        Assert.Equal(new[] { "MD0003" }, result.Diagnostics.Select(d => d.Id));
        Assert.True(result.CompilerDiagnostics.IsEmpty, string.Join("\n", result.CompilerDiagnostics));
        result.AssertOnlySurface();
    }

    [Fact]
    public void Class_level_layers_on_two_declarations_MD0056_leave_code_using_the_model_compiling()
    {
        GeneratorResult result = GeneratorHarness.Run(
            Usings + "[Model(4)] [Dense(3)] public partial class Split { }",
            Usings + "[Dense(2)] public partial class Split { } public static class UseIt { public static string Run() => new Split(seed: 1).Summary(); }");
        Assert.Equal(new[] { "MD0056" }, result.Diagnostics.Select(d => d.Id));
        Assert.Empty(result.CompilerDiagnostics);
        result.AssertOnlySurface();
    }

    [Fact]
    public void The_surface_of_a_model_with_an_error()
    {
        // A block property, an ensemble, token input and weight decay: every part the surface declares.
        string source = Usings + """
            namespace Demo;

            [Model(8)]
            [Ensemble(3)]
            [WeightDecay(L2 = 1e-4)]
            [Embedding(20, 4, PaddingIndex = 0), GlobalAvgPool1d]
            public partial class Tagger
            {
                [Dense(0)] public partial Sequential Head { get; }
            }

            public static class UseIt
            {
                public static string Run()
                {
                    Tagger model = new Tagger(seed: 1);
                    Sequential head = model.Head;
                    TaggerEnsemble ensemble = new TaggerEnsemble(seed: 2);
                    return model.Summary() + model.Vocabulary + model.Penalty() + Tagger.SummaryText;
                }
            }
            """;
        GeneratorResult result = GeneratorHarness.Run(source);
        Diagnostic error = Assert.Single(result.Diagnostics);
        Assert.Equal("MD0003", error.Id);
        Assert.True(result.CompilerDiagnostics.IsEmpty, string.Join("\n", result.CompilerDiagnostics)); // zero warnings under nullable
        // Every warning wave too, as a project with TreatWarningsAsErrors and the latest analysis level compiles it.
        CSharpCompilation strict = GeneratorHarness.Compilation(source).AddSyntaxTrees(result.RunResult.GeneratedTrees);
        strict = strict.WithOptions(strict.Options.WithWarningLevel(9999).WithGeneralDiagnosticOption(ReportDiagnostic.Error));
        Assert.Empty(strict.GetDiagnostics().Where(d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", System.StringComparison.Ordinal) == true));
        string surface = result.AssertOnlySurface().Single();
        Assert.Contains("'Tagger' was not generated because of the ModelDsl error MD0003; fix it and rebuild", surface);
        SnapshotAssert.Matches(surface, "ErrorSurface.Demo.Tagger.g.cs");
    }

    [Fact]
    public void Reported_the_MD_error_is_the_only_error_of_a_project_that_uses_the_model()
    {
        // The report: new Mlp(seed: 1) was CS1739 and model.Summary() CS1061, listed before the MD error.
        GeneratorResult result = GeneratorHarness.Run(Usings + """
            [Model(784)] [Dense(0)] public partial class Mlp { }
            public static class Program
            {
                public static string Main() => new Mlp(seed: 1).Summary();
            }
            """);
        Assert.Equal(new[] { "MD0003" }, result.Diagnostics.Select(d => d.Id));
        Assert.Empty(result.CompilerDiagnostics);
    }
}

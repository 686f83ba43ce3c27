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

    /// <summary>Every error case of the diagnostic tests whose class can take a generated part, one per descriptor and more.</summary>
    public static TheoryData<string, string> Errors()
    {
        var data = new TheoryData<string, string>();
        IEnumerable<(string Marked, string Id)> cases =
            DiagnosticTests.Cases.Select(c => ((string)c[0], (string)c[1], (DiagnosticSeverity)c[2])).Where(c => c.Item3 == DiagnosticSeverity.Error).Select(c => (c.Item1, c.Item2))
                .Concat(DeclarationDiagnosticsTests.Cases.Select(c => ((string)c[0], (string)c[1])));
        foreach (var (marked, id) in cases)
        {
            if (NoPart.Contains(id) || ModelClass(marked) is null) continue;
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
        Assert.True(!result.CompilerDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error), string.Join("\n", result.CompilerDiagnostics));
        string surface = result.AssertOnlySurface().Files[name + ".g.cs"];
        Assert.Contains(id, surface);
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

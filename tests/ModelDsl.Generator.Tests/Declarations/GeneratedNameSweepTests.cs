using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Declarations;

/// <summary>
/// Issue #23 §4: every name the generated code declares against every kind of member the user can declare with it. A
/// clash is one MD error at the user's declaration (MD0054 for a name, MD0080 for a method or constructor with the same
/// parameter types) and nothing the compiler reports in a generated file; an overload is no clash and compiles.
/// </summary>
public class GeneratedNameSweepTests
{
    private const string Usings = "using ModelDsl;\nusing TorchSharp;\nusing TorchSharp.Modules;\n";

    /// <summary>The models that make the generator declare each name; {0} is where the user's member goes.</summary>
    private static readonly (string Model, string[] Names, string[] Methods, string[] Properties)[] Generators =
    {
        ("[Model(4)] [Dense(2)] public partial class Net {{ {0} }}", new[] { "SummaryText", "inputShape", "dense" }, new[] { "Summary", "forward" }, new[] { "InputShape" }),
        ("[Model(4)] [Dense(3), ReLU, Dense(2)] public partial class Net {{ {0} }}", new[] { "dense1", "relu", "dense2" }, new string[0], new string[0]),
        ("[Model(4)] public partial class Net {{ [Dense(2)] public partial Sequential Head {{ get; }} {0} }}", new[] { "_head", "SummaryDepth1" }, new string[0], new string[0]),
        ("[Model(4)] [Dense(2)] [WeightDecay(L2 = 1e-4)] public partial class Net {{ {0} }}", new[] { "weightDecayGroups" }, new[] { "Penalty", "ParameterGroups", "AddPenaltyGradients" }, new string[0]),
        ("[Model(4)] [Dense(2, MaxNorm = 3)] public partial class Net {{ {0} }}", new[] { "maxNormConstraints" }, new[] { "ApplyConstraints" }, new string[0]),
        ("[Model(6)] [Embedding(10, 4, PaddingIndex = 0), GlobalAvgPool1d, Dense(2)] public partial class Net {{ {0} }}", new[] { "paddingMaskedLayers" }, new string[0], new[] { "Vocabulary", "PaddingIndex", "PaddingMaskedLayers" }),
    };

    /// <summary>(case, model source with the user's member marked, second file or null, expected ID or null for none).</summary>
    public static TheoryData<string, string, string?, string?> Sweep()
    {
        var data = new TheoryData<string, string, string?, string?>();
        foreach (var (model, names, methods, properties) in Generators)
        {
            foreach (string name in names.Concat(methods).Concat(properties))
            {
                bool method = methods.Contains(name);
                void Add(string kind, string member, string? expected, string? other = null)
                    => data.Add($"{name} × {kind}", string.Format(model, other is null ? member : ""), other is null ? null : Usings + "public partial class Net { " + member + " }", expected);
                Add("field", $"private int [|{name}|] = 0; public int Read() => {name};", "MD0054");
                Add("property", $"public int [|{name}|] => 0;", "MD0054");
                Add("event", $"public event System.Action? [|{name}|]; public void Raise() => {name}?.Invoke();", "MD0054");
                Add("nested type", $"public class [|{name}|] {{ }}", "MD0054");
                Add("field in another partial file", $"private int [|{name}|] = 0; public int Read() => {name};", "MD0054", other: "");
                if (name == "forward") continue; // a user forward(Tensor) replaces the generated one; other kinds follow
                if (method)
                {
                    Add("method, same signature", $"public int [|{name}|]() => 0;", "MD0080");
                    Add("method overload", $"public int {name}(string x) => 0;", null);
                    Add("generic method overload", $"public int {name}<T>() => 0;", null);
                    Add("partial method, same signature", $"partial void [|{name}|]();", "MD0080");
                }
                else Add("method", $"public int [|{name}|](int x) => x;", "MD0054");
                if (properties.Contains(name)) Add("getter method", $"public int [|get_{name}|]() => 0;", "MD0080");
            }
        }
        const string plain = "[Model(4)] [Dense(2)] public partial class Net {{ {0} }}";
        foreach (string name in new[] { "forward", "Summary", "dense", "inputShape" })
        {
            data.Add($"{name} × type parameter", $"[Model(4)] [Dense(2)] public partial class Net<[|{name}|]> {{ }}", null, "MD0054");
            data.Add($"{name} × the class's name", $"[Model(4)] [Dense(2)] public partial class [|{name}|] {{ }}", null, "MD0054");
        }
        // Only a model with dotted layer names has folded tables (SummaryDepth1, …): one of class-level layers leaves the name free.
        data.Add("SummaryDepth1 × field, every layer class-level", string.Format(plain, "private int SummaryDepth1 = 0; public int Read() => SummaryDepth1;"), null, null);
        // Summary(int) taken: the surface leaves out that overload and with it IGeneratedModel, which declares it.
        data.Add("Summary × method Summary(int), same parameter types", string.Format(plain, "public int [|Summary|](int depth) => depth;"), null, "MD0080");
        data.Add("forward × method forward(int), an overload", string.Format(plain, "public int forward(int x) => x;"), null, null);
        const string constructor = "(long? seed = null, torch.Device? device = null, torch.ScalarType? dtype = null) : base(\"Net\") { }";
        data.Add("constructor × same signature", string.Format(plain, "public [|Net|]" + constructor), null, "MD0080");
        data.Add("constructor × same types, other names", string.Format(plain, "private [|Net|](long? a, torch.Device? b, torch.ScalarType? c) : base(\"Net\") { }"), null, "MD0080");
        data.Add("constructor × in another partial file", string.Format(plain, ""), Usings + "public partial class Net { public [|Net|]" + constructor + " }", "MD0080");
        data.Add("constructor × overload", string.Format(plain, "public Net(int width) : this(seed: width) { }"), null, null);
        const string ensemble = "[Model(4)] [Dense(2)] [Ensemble(3)] public partial class Net { }";
        data.Add("ensemble × type in the namespace", ensemble + " public class [|NetEnsemble|] { }", null, "MD0054");
        data.Add("ensemble × type in another file", ensemble, Usings + "public class [|NetEnsemble|] { }", "MD0054");
        data.Add("ensemble × generic type of another arity", ensemble + " public class NetEnsemble<T> { }", null, null);
        data.Add("ensemble × member of the containing type", "public partial class Outer { " + ensemble + " public int [|NetEnsemble|] = 0; }", null, "MD0054");
        data.Add("ensemble × nested type of the containing type", "public partial class Outer { " + ensemble + " public class [|NetEnsemble|] { } }", null, "MD0054");
        data.Add("ensemble × the containing type", "public partial class [|NetEnsemble|] { " + ensemble + " }", null, "MD0054");
        return data;
    }

    [Theory]
    [MemberData(nameof(Sweep))]
    public void A_clash_is_one_MD_error_at_the_users_member(string kind, string marked, string? otherFile, string? id)
    {
        _ = kind;
        bool markedHere = marked.Contains("[|");
        MarkedSource source = MarkedSource.Parse(Usings + (markedHere ? marked : marked + "[||]"));
        MarkedSource? other = otherFile is null ? null : MarkedSource.Parse(otherFile.Contains("[|") ? otherFile : otherFile + "[||]");
        GeneratorResult result = other is null ? GeneratorHarness.Run(source.Text) : GeneratorHarness.Run(source.Text, other.Text);

        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (id is null) Assert.Empty(errors);
        else
        {
            Diagnostic error = Assert.Single(errors);
            Assert.Equal(id, error.Id);
            Assert.Equal(markedHere ? "Model0.cs" : "Model1.cs", error.Location.SourceTree?.FilePath);
            Assert.Equal(markedHere ? source.Span : other!.Span, error.Location.SourceSpan);
        }
        Assert.DoesNotContain(result.RunResult.Diagnostics, d => d.Id == "CS8785");
        // The MD error is the only diagnostic: nothing in a generated file, no CS error or warning in the user's code either.
        Assert.DoesNotContain(result.CompilerDiagnostics, d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", System.StringComparison.Ordinal) == true);
        Assert.True(result.CompilerDiagnostics.IsEmpty, string.Join("\n", result.CompilerDiagnostics));
    }

    [Fact]
    public void Reported_a_constructor_with_the_generated_signature_is_MD0080_not_CS0111_in_the_generated_file()
    {
        MarkedSource source = MarkedSource.Parse(Usings + """
            [Model(4)] [Dense(2)]
            public partial class Mlp
            {
                public [|Mlp|](long? seed = null, torch.Device? device = null, torch.ScalarType? dtype = null) : base("Mlp") { }
            }
            """);
        GeneratorResult result = GeneratorHarness.Run(source.Text);
        Diagnostic error = Assert.Single(result.Diagnostics);
        Assert.Equal(("MD0080", DiagnosticSeverity.Error, source.Span), (error.Id, error.Severity, error.Location.SourceSpan));
        Assert.True(error.GetMessage().Contains("ModelDsl would generate the constructor Mlp(long? seed, Device? device, ScalarType? dtype), but 'Mlp' already declares a constructor with the same parameter types"), error.GetMessage());
        Assert.DoesNotContain(result.CompilerDiagnostics, d => d.Id == "CS0111");
        Assert.True(result.CompilerDiagnostics.IsEmpty, string.Join("\n", result.CompilerDiagnostics));
    }

    [Fact]
    public void Reported_a_field_named_like_a_blocks_backing_field_is_MD0054_at_the_field_not_CS9248()
    {
        MarkedSource source = MarkedSource.Parse(Usings + """
            [Model(4)]
            public partial class Net
            {
                [Dense(2)] public partial Sequential Head { get; }
                private int [|_head|] = 1;
                public int Read() => _head;
            }
            """);
        GeneratorResult result = GeneratorHarness.Run(source.Text);
        Diagnostic error = Assert.Single(result.Diagnostics);
        Assert.Equal(("MD0054", DiagnosticSeverity.Error, source.Span), (error.Id, error.Severity, error.Location.SourceSpan));
        Assert.Contains("The block 'Head' would generate the member '_head'", error.GetMessage());
        Assert.DoesNotContain(result.CompilerDiagnostics, d => d.Id == "CS9248");
        Assert.True(result.CompilerDiagnostics.IsEmpty, string.Join("\n", result.CompilerDiagnostics));
    }
}

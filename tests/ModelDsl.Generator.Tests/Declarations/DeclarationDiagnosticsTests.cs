using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Declarations;

/// <summary>
/// Issue #14, part 2: declarations that used to crash the generator or give compiler errors inside a generated file now
/// get a ModelDsl diagnostic at the right place (ID, severity, location), and no generated model (issue #23: its
/// public surface at most, with no compiler diagnostic in it).
/// </summary>
public class DeclarationDiagnosticsTests
{
    private const string Usings = "using ModelDsl;\nusing TorchSharp.Modules;\nusing static ModelDsl.Init;\n";

    public static TheoryData<string, string> Cases => new()
    {
        // 2. Declaration kinds.
        { "[Model(4)] [Dense(2)] public partial record [|Rec|] { }", "MD0053" },
        // Structs, record structs and interfaces are the compiler's CS0592 too, but were generated as classes (CS0261 in
        // the generated file) once the generator looked at records.
        { "[Model(4)] [Dense(2)] public partial struct [|Value|] { }", "MD0053" },
        { "[Model(4)] [Dense(2)] public partial record struct [|RecordValue|] { }", "MD0053" },
        { "[Model(4)] [Dense(2)] public partial interface [|IModel|] { }", "MD0053" },
        { "[Model(4)] [Dense(2)] public static partial class [|Static|] { }", "MD0053" },
        { "[Model(4)] [Dense(2)] public abstract partial class [|Abstract|] { }", "MD0053" },
        { "[Model(4)] [Dense(2)] public partial class [|Primary|](int size) { }", "MD0053" },
        { "[Model(4)] [Dense(2)] file partial class [|FileLocal|] { }", "MD0053" },
        { "file partial class Holder { [Model(4)] [Dense(2)] public partial class [|InFile|] { } }", "MD0053" },
        // Found by the property test: a virtual block in a sealed class gave CS0549 inside the generated file.
        { "[Model(4)] public sealed partial class Net { [Dense(2)] public virtual partial Sequential [|Hidden|] { get; } }", "MD0014" },
        // 4. Generated names that collide with the user's.
        { "[Model(4)] [Dense(2)] public partial class [|Summary|] { }", "MD0054" },
        { "[Model(4)] [Dense(2)] public partial class Net { public int InputShape2; public string [|SummaryText|] = \"\"; }", "MD0054" },
        { "[Model(4)] public partial class Net { [Dense(2)] public partial Sequential Head { get; } private int [|_head|] = 1; public int Read() => _head; }", "MD0054" },
        { "[Model(4)] [Dense(3)] public partial class Net { [Dense(2)] public partial Sequential [|Dense|] { get; } }", "MD0054" },
        { "[Model(4)] public partial class Net { [Dense(3)] public partial Sequential Head { get; } [Dense(2)] private Sequential? [|head|]; }", "MD0054" },
        { "[Model(4)] [Dense(2)] [Ensemble(3)] public partial class Net { } public class [|NetEnsemble|] { }", "MD0054" },
        // The generated model overrides RegisterComponents (so nesting it registers nothing twice): a user override is CS0111.
        { "[Model(4)] [Dense(2)] public partial class Net { protected override void [|RegisterComponents|]() { } }", "MD0080" },
        // Found by the property test: a block named like a generated member (Summary()), and a partial property _head,
        // whose backing field would be _head too.
        { "[Model(4)] public partial class Net { [Dense(2)] private Sequential [|Summary|] = null!; }", "MD0054" },
        { "[Model(4)] public partial class Net { [Dense(2)] public partial Sequential [|_head|] { get; } }", "MD0054" },
        // Issue #23 §4: a constructor with the generated one's parameter types (CS0111 in the generated file before).
        { "[Model(4)] [Dense(2)] public partial class Net { public [|Net|](long? seed, TorchSharp.torch.Device? device, TorchSharp.torch.ScalarType? dtype) : base(\"Net\") { } }", "MD0080" },
        { "[Model(4)] [Dense(2)] public partial class Net { public int [|get_InputShape|]() => 0; }", "MD0080" },
        // 5. Constant values.
        { "[Model(4)] [Dense(2), GaussianNoise([|double.PositiveInfinity|])] public partial class Inf { }", "MD0050" },
        { "[Model(4)] [Dense(2, [|InitGain = double.NaN|], Init = He)] public partial class NaN { }", "MD0050" },
        { "[Model(4)] [Dense(2, [|MaxNorm = double.NegativeInfinity|])] public partial class NegInf { }", "MD0050" },
        { "[Model(4)] [Dense(2)] [Ensemble(2, Aggregation = Aggregation.WeightedMean, [|Weights = new[] { 1.0, double.NaN }|])] public partial class W { }", "MD0050" },
        { "[Model(4)] [Dense(2, [|Init = (Init)42|])] public partial class BadInit { }", "MD0051" },
        { "[Model(4)] [Dense(2, [|Activation = (Activation)99|])] public partial class BadActivation { }", "MD0051" },
        { "[Model(4)] [Dense(2)] [Ensemble(2, [|Aggregation = (Aggregation)9|])] public partial class BadAggregation { }", "MD0051" },
        { "[Model(4)] [Dense(2), Dropout(0.5, [|Mode = (DropoutMode)7|])] public partial class BadMode { }", "MD0051" },
        { "[Model(int.MaxValue, int.MaxValue, int.MaxValue)] [[|Flatten|], Dense(2)] public partial class Huge { }", "MD0057" },
        // 8. User-defined layers.
        { "public sealed class CustomAttribute : LayerAttribute { } [Model(4)] [Dense(2), [|Custom|]] public partial class Net { }", "MD0055" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reports_the_id_severity_and_location(string marked, string id)
    {
        MarkedSource source = MarkedSource.Parse(Usings + marked);
        GeneratorResult result = GeneratorHarness.Run(source.Text);

        Diagnostic diagnostic = Assert.Single(result.Diagnostics, d => d.Id == id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(source.Span, diagnostic.Location.SourceSpan);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "MD0099");
        Assert.DoesNotContain(result.RunResult.Diagnostics, d => d.Id == "CS8785");
        // An error generates the model's surface at most (nothing for a class that cannot take a generated part), and
        // nothing the compiler reports sits in a generated file.
        result.AssertOnlySurface();
        if (id == "MD0053") Assert.Empty(result.Files);
    }

    [Fact]
    public void Collision_message_names_both_members()
    {
        var result = GeneratorHarness.Run(Usings + "[Model(4)] [Dense(3)] public partial class Net { [Dense(2)] public partial Sequential Dense { get; } }");
        string message = Assert.Single(result.Diagnostics, d => d.Id == "MD0054").GetMessage();
        Assert.Contains("'Dense'", message);
        Assert.Contains("'dense'", message);
        Assert.Contains("Dense(3)", message);
    }

    [Fact]
    public void Class_level_layers_on_two_partial_declarations_are_MD0056_at_the_second()
    {
        // 6. Order: the compiler lists the two files in the order it was given them, which the user does not control.
        MarkedSource second = MarkedSource.Parse(Usings + "public partial class Split { } [[|Dense(2)|]] public partial class Split { }");
        GeneratorResult result = GeneratorHarness.Run(Usings + "[Model(4)] [Dense(3)] public partial class Split { }", second.Text);
        Diagnostic diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "MD0056");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal("Model1.cs", diagnostic.Location.SourceTree!.FilePath);
        Assert.Equal(second.Span, diagnostic.Location.SourceSpan);
        result.AssertOnlySurface();
    }

    [Theory]
    [InlineData(LanguageVersion.CSharp7_3)]
    [InlineData(LanguageVersion.CSharp8)]
    public void Below_CSharp_9_is_MD0052_at_the_class(LanguageVersion version)
    {
        // 7. Language versions (a field block: partial properties would need C# 13, which the compiler reports itself).
        MarkedSource source = MarkedSource.Parse("using ModelDsl;\n[Model(4)] [Dense(2)] public partial class [|Old|] { }");
        GeneratorResult result = GeneratorHarness.Run(new CSharpParseOptions(version), source.Text);
        Diagnostic diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "MD0052");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(source.Span, diagnostic.Location.SourceSpan);
        Assert.Contains("9", diagnostic.GetMessage());
        Assert.Empty(result.Files); // not even the surface: the compiler could not read it
    }
}

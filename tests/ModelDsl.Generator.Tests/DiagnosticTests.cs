using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>Every diagnostic ID: the exact ID, its severity, and the location of the attribute (or member) at fault.</summary>
public class DiagnosticTests
{
    // TorchSharp.Modules declares distribution types Normal and Uniform, so with it imported those two inits are
    // written Init.Normal / Init.Uniform (docs/dsl-reference.md says so too).
    private const string Usings = "using ModelDsl;\nusing TorchSharp.Modules;\nusing static ModelDsl.Init;\n";

    public static TheoryData<string, string, DiagnosticSeverity> Cases => new()
    {
        { "[Model(4)] [Dense(2)] public class [|NotPartial|] { }", "MD0001", DiagnosticSeverity.Error },
        { "public class Outer { [Model(4)] [Dense(2)] public partial class [|Inner|] { } }", "MD0001", DiagnosticSeverity.Error },
        { "[[|Model|]] [Dense(2)] public partial class NoShape { }", "MD0002", DiagnosticSeverity.Error },
        { "[[|Model(0)|]] [Dense(2)] public partial class ZeroShape { }", "MD0003", DiagnosticSeverity.Error },
        { "[Model(4)] [[|Dense(0)|]] public partial class ZeroUnits { }", "MD0003", DiagnosticSeverity.Error },
        { "[Model(4)] [Dense(2), [|Dropout(1.0)|]] public partial class AllDropped { }", "MD0004", DiagnosticSeverity.Error },
        { "[Model(4)] [Dense(2), [|Dropout(Keep = 0)|]] public partial class NothingKept { }", "MD0004", DiagnosticSeverity.Error },
        { "[Model(4)] [Dense(2), [|Dropout(0.5, Keep = 0.5)|]] public partial class Both { }", "MD0005", DiagnosticSeverity.Error },
        { "[Model(4)] [Dense(2), [|Dropout|]] public partial class Neither { }", "MD0005", DiagnosticSeverity.Error },
        { "[[|Dense(2)|]] public partial class NoModel { }", "MD0006", DiagnosticSeverity.Error },
        { "public partial class NoModelBlock { [[|ReLU|]] public Sequential? Block; }", "MD0006", DiagnosticSeverity.Error },
        { "public partial class NoModelResidual { [[|Residual|]] public Sequential? Block; }", "MD0006", DiagnosticSeverity.Error },
        { "[Model(4)] [[|Dense(2, Init = Init.Normal, InitStd = -1)|]] public partial class BadStd { }", "MD0008", DiagnosticSeverity.Error },
        { "[Model(4)] [[|Dense(2, Init = Init.Uniform, InitLow = 1, InitHigh = 0)|]] public partial class BadBounds { }", "MD0008", DiagnosticSeverity.Error },
        { "[Model(4)] [[|Dense(2, Bias = false, BiasInit = Zeros)|]] public partial class NoBias { }", "MD0008", DiagnosticSeverity.Error },
        { "[Model(4)] [[|Dense(2, BiasInit = He)|]] public partial class HeBias { }", "MD0008", DiagnosticSeverity.Error },
        { "[Model(4)] [[|Dense(2, Init = He, InitGain = 0)|]] public partial class ZeroGain { }", "MD0008", DiagnosticSeverity.Error },
        { "[Model(4)] [Dense(3), [|Softmax|], Dense(2)] public partial class MiddleSoftmax { }", "MD0009", DiagnosticSeverity.Warning },
        { "[Model(4)] [[|Dense(2, Init = Zeros)|]] public partial class ZeroInit { }", "MD0010", DiagnosticSeverity.Warning },
        { "[Model(4)] [[|Dense(2, Init = Constant, InitValue = 0.1)|]] public partial class ConstantInit { }", "MD0010", DiagnosticSeverity.Warning },
        { "[Model(4)] [[|Dense(2, Init = He)|], BatchNorm, Tanh] public partial class HeTanh { }", "MD0011", DiagnosticSeverity.Warning },
        { "[Model(4)] [[|Dense(2, Init = Xavier, Activation = Activation.ReLU)|]] public partial class XavierRelu { }", "MD0012", DiagnosticSeverity.Warning },
        { "[Model(4)] [Dense(2), [|Dropout(0.7)|]] public partial class MostlyDropped { }", "MD0013", DiagnosticSeverity.Warning },
        { "[Model(4)] [Dense(2), [|Dropout(Keep = 0.3)|]] public partial class LowKeep { }", "MD0013", DiagnosticSeverity.Warning },
        { "[Model(4)] public partial class StaticBlock { [Dense(2)] public static Sequential? [|Block|]; }", "MD0014", DiagnosticSeverity.Error },
        { "[Model(4)] public partial class WrongType { [Dense(2)] public string [|Block|] = \"\"; }", "MD0014", DiagnosticSeverity.Error },
        { "[Model(4)] public partial class BodyBlock { [Dense(2)] public Sequential [|Block|] { get; } = null!; }", "MD0014", DiagnosticSeverity.Error },
        { "[Model(4)] public partial class SetterBlock { [Dense(2)] public partial Sequential [|Block|] { get; set; } }", "MD0014", DiagnosticSeverity.Error },
        { "[Model(4)] public partial class [|Empty|] { }", "MD0015", DiagnosticSeverity.Error },
        { "[Model(4)] [[|Dense(2, InitStd = 0.1)|]] public partial class IgnoredStd { }", "MD0016", DiagnosticSeverity.Warning },
        { "public class Base { } [Model(4)] [Dense(2)] public partial class [|Derived|] : Base { }", "MD0017", DiagnosticSeverity.Error },
        { "[Model(4)] [Dense(2), [|BatchNorm(Momentum = 0.99)|]] public partial class KerasMomentum { }", "MD0019", DiagnosticSeverity.Warning },
        { "[Model(1, 28, 28)] [[|Dense(10)|]] public partial class NoFlatten { }", "MD0030", DiagnosticSeverity.Error },
        { "[Model(2, 3, 4, 5)] [[|BatchNorm|]] public partial class VolumeNorm { }", "MD0033", DiagnosticSeverity.Error },
        // A layer in ModelDsl's namespace the generator has no rule for: a runtime newer than the generator.
        { "namespace ModelDsl { public sealed class FutureAttribute : LayerAttribute { } } [Model(4)] [[|Future|]] public partial class Unknown { }", "MD0099", DiagnosticSeverity.Error },
        { "[Model(8)] [GaussianNoise(0.1), [|Embedding(20, 4)|]] public partial class NoisyTokens { }", "MD0063", DiagnosticSeverity.Error },
        { "[Model(8)] [[|Embedding(20, 4, PaddingIndex = 20)|]] public partial class PastVocabulary { }", "MD0064", DiagnosticSeverity.Error },
        { "[Model(8, 3)] [[|Embedding(20, 4)|]] public partial class FeatureTokens { }", "MD0065", DiagnosticSeverity.Error },
        { "[Model(8, 3)] [[|BatchNorm|], Flatten, Dense(2)] public partial class SequenceBatchNorm { }", "MD0066", DiagnosticSeverity.Warning },
        { "[Model(8)] [Embedding(20, 4, PaddingIndex = 0), [|LSTM(6)|], Dense(2)] public partial class PaddedLstm { }", "MD0067", DiagnosticSeverity.Warning },
        { "[Model(8)] [Embedding(20, 4, PaddingIndex = 0)] public partial class PaddedResidual { [[|Residual|], TransformerEncoder(2, 8)] public partial Sequential Block { get; } }", "MD0067", DiagnosticSeverity.Warning },
        { "[[|Model(8, Context = 8)|]] [Embedding(20, 4)] public partial class ShapeAndContext { }", "MD0068", DiagnosticSeverity.Error },
        { "[[|Model(Context = 8)|]] [Dense(4)] public partial class ContextOfFeatures { }", "MD0068", DiagnosticSeverity.Error },
        { "[Model(Context = 8)] [Embedding(20, 4), [|Flatten|], Dense(2)] public partial class ContextFlatten { }", "MD0068", DiagnosticSeverity.Error },
        { "[Model(8)] [Embedding(20, 4), [|Dense(5, TiedToEmbedding = true)|]] public partial class TiedMisfit { }", "MD0069", DiagnosticSeverity.Error },
        // MD0085 at the Dropout argument: recurrent dropout acts between stacked layers only.
        { "[Model(8, 3)] [LSTM(6, [|Dropout = 0.5|]), Dense(2)] public partial class OneLayerLstmDropout { }", "MD0085", DiagnosticSeverity.Warning },
        { "[Model(8, 3)] [GRU(6, Bidirectional = true, [|Dropout = 0.2|]), Dense(2)] public partial class OneLayerGruDropout { }", "MD0085", DiagnosticSeverity.Warning },
        // Residual blocks (MD0070–MD0076), at the [Residual] attribute.
        { "[Model(4)] public partial class Widens { [[|Residual(Shortcut = Shortcut.Identity)|], Dense(8)] public partial Sequential Block { get; } }", "MD0070", DiagnosticSeverity.Error },
        { "[Model(3, 8, 8)] public partial class Flattens { [[|Residual|], Flatten] public partial Sequential Block { get; } }", "MD0070", DiagnosticSeverity.Error },
        { "[Model(4)] public partial class NoNorm { [[|Residual(BranchInit = ResidualInit.ZeroGamma)|], Dense(4), ReLU, Dense(4)] public partial Sequential Block { get; } }", "MD0071", DiagnosticSeverity.Error },
        { "[Model(4)] public partial class OneLayerFixup { [[|Residual(BranchInit = ResidualInit.Fixup)|], Dense(4)] public partial Sequential Block { get; } }", "MD0072", DiagnosticSeverity.Error },
        { "[Model(4)] public partial class NoWeights { [[|Residual(BranchInit = ResidualInit.ZeroWeights)|], ReLU] public partial Sequential Block { get; } }", "MD0072", DiagnosticSeverity.Error },
        { "[Model(4)] public partial class OwnForward { [[|Residual|], Dense(4)] public partial Sequential Block { get; } public override TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor x) => Block.forward(x); }", "MD0073", DiagnosticSeverity.Error },
        { "[Model(4)] public partial class NoRepeat { [[|Residual(Repeat = 0)|], Dense(4)] public partial Sequential Block { get; } }", "MD0074", DiagnosticSeverity.Error },
        { "[Model(4)] public partial class FixupNorm { [[|Residual(BranchInit = ResidualInit.Fixup)|], Dense(4), BatchNorm, ReLU, Dense(4)] public partial Sequential Block { get; } }", "MD0075", DiagnosticSeverity.Warning },
        { "[Model(4)] public partial class SoftmaxSum { [[|Residual(Activation = Activation.Softmax)|], Dense(4)] public partial Sequential Block { get; } }", "MD0076", DiagnosticSeverity.Error },
        { "[Model(4)] [Dense(4)] public partial class Layerless { [[|Residual|]] public partial Sequential Block { get; } }", "MD0076", DiagnosticSeverity.Error },
        // MD0081: a layer name that is no identifier or path of them, digits or a path on the class, or taken in its block, at the Name argument.
        { "[Model(4)] public partial class Dotted { [Dense(3, [|Name = \"fc..1\"|])] public partial Sequential Head { get; } }", "MD0081", DiagnosticSeverity.Error },
        { "[Model(4)] public partial class Spaced { [Dense(3, [|Name = \"0.fc 1\"|])] public partial Sequential Head { get; } }", "MD0081", DiagnosticSeverity.Error },
        { "[Model(4)] [Dense(3, [|Name = \"fc.1\"|])] public partial class PathOnClass { }", "MD0081", DiagnosticSeverity.Error },
        { "[Model(4)] public partial class PathInUnit { [Residual, Dense(4, [|Name = \"0.fc\"|])] public partial Sequential Unit { get; } }", "MD0081", DiagnosticSeverity.Error },
        { "[Model(4)] public partial class ContainerIsLayer { [Dense(3, Name = \"0\"), Dense(3, [|Name = \"0.fc\"|])] public partial Sequential Head { get; } }", "MD0081", DiagnosticSeverity.Error },
        { "[Model(4)] public partial class Scattered { [Dense(3, Name = \"0.fc\"), ReLU, Dense(3, [|Name = \"0.out\"|])] public partial Sequential Head { get; } }", "MD0081", DiagnosticSeverity.Error },
        { "[Model(4)] [Dense(3, [|Name = \"0\"|])] public partial class Numbered { }", "MD0081", DiagnosticSeverity.Error },
        { "[Model(4)] public partial class Twice { [Dense(3, Name = \"fc\"), ReLU, Dense(2, [|Name = \"fc\"|])] public partial Sequential Head { get; } }", "MD0081", DiagnosticSeverity.Error },
        // Graph models (MD0090–MD0097): a source at its argument, a merge's arity at the merge, an unused block at its name.
        { "[Model(4)] public partial class UnknownSource { [Dense(4)] public partial Sequential A { get; } [From([|\"Missing\"|]), Dense(2)] public partial Sequential B { get; } }", "MD0090", DiagnosticSeverity.Error },
        { "[Model(4)] public partial class ReadsLater { [Dense(4)] public partial Sequential A { get; } [Add(nameof(A), [|nameof(C)|]), Dense(2)] public partial Sequential B { get; } [Dense(2)] public partial Sequential C { get; } }", "MD0091", DiagnosticSeverity.Error },
        { "[Model(4)] public partial class ReadsItself { [Dense(4)] public partial Sequential A { get; } [From([|nameof(B)|]), Dense(2)] public partial Sequential B { get; } }", "MD0091", DiagnosticSeverity.Error },
        { "[Model(4)] public partial class ConcatMismatch { [Dense(4)] public partial Sequential A { get; } [From(\"input\"), Dense(3)] public partial Sequential B { get; } [From(nameof(A)), Flatten] public partial Sequential C { get; } [Add(nameof(A), [|nameof(B)|]), Dense(2)] public partial Sequential D { get; } }", "MD0092", DiagnosticSeverity.Error },
        { "[Model(4)] public partial class MergeOfOne { [Dense(4)] public partial Sequential A { get; } [[|Concatenate(nameof(A))|], Dense(2)] public partial Sequential B { get; } }", "MD0093", DiagnosticSeverity.Error },
        { "[Model(4)] public partial class Unused { [Dense(4)] public partial Sequential A { get; } [Dense(3)] public partial Sequential [|B|] { get; } [From(nameof(A)), Dense(2)] public partial Sequential C { get; } }", "MD0094", DiagnosticSeverity.Warning },
        { "[Model(4)] public partial class TwoInputs { [Dense(4)] public partial Sequential A { get; } [From(nameof(A)), [|Add(nameof(A), \"input\")|], Dense(2)] public partial Sequential B { get; } }", "MD0095", DiagnosticSeverity.Error },
        { "[Model(4)] public partial class SameName { [Dense(4)] public partial Sequential [|Input|] { get; } [From(nameof(Input)), Dense(2)] public partial Sequential B { get; } }", "MD0096", DiagnosticSeverity.Error },
        { "[Model(4, [|WeightsFile = \"net.safetensors\"|])] [Dense(2)] public partial class NoWeightsFile { }", "MD0100", DiagnosticSeverity.Error },
        { "[Model(4)] [RenameWeights(\"features.0\", [|\"stem.conv\"|])] [Dense(2)] public partial class RenamedToNothing { }", "MD0106", DiagnosticSeverity.Error },
        { "[Model(4)] [RenameWeights(\"features.{n}\", [|\"head{n}\"|])] public partial class NumberedToNothing { [Dense(2)] public partial Sequential Head { get; } }", "MD0106", DiagnosticSeverity.Error },
        // MD0110: convolution groups that do not divide both channel counts, at the Groups argument.
        { "[Model(4, 6, 6)] [Conv2d(6, 3, [|Groups = 3|])] public partial class Grouped3 { }", "MD0110", DiagnosticSeverity.Error },
        // MD0111: a channel shuffle or split whose groups do not divide the channels, at the argument.
        { "[Model(6, 3, 3)] [ChannelShuffle([|4|])] public partial class Shuffled4 { }", "MD0111", DiagnosticSeverity.Error },
        // MD0112: a transposed convolution's OutputPadding not smaller than its stride or dilation, at the argument.
        { "[Model(3, 4, 4)] [ConvTranspose2d(3, 3, Stride = 2, [|OutputPadding = 2|])] public partial class PaddedOut { }", "MD0112", DiagnosticSeverity.Error },
        // MD0113: an Upsample with both a scale factor and SizeOf, at SizeOf (neither and unknown names: UpsampleRuleTests).
        { "[Model(3, 4, 4)] [Upsample(2, [|SizeOf = \"input\"|])] public partial class UpsampledTwice { }", "MD0113", DiagnosticSeverity.Error },
        // MD0114: a decoder whose memory has another width, at Memory (no memory, unknown names: TransformerDecoderRuleTests).
        { "[Model(5, 8)] [Dense(4), TransformerDecoder(2, 16, [|Memory = \"input\"|])] public partial class NoWidth { }", "MD0114", DiagnosticSeverity.Error },
        // MD0107: the sides of a rename with different numbers of {n}, at the model prefix.
        { "[Model(4)] [RenameWeights(\"features.{n}\", [|\"head\"|])] public partial class Placeholders { [Dense(2)] public partial Sequential Head { get; } }", "MD0107", DiagnosticSeverity.Error },
        { "[Block] public partial class Twice { public const int Width = 2; [Dense(Width)] public partial Sequential A { get; } } [Model(4)] public partial class UsesTwice { [With(nameof(Twice.Width), 2, [|\"Depth\"|], 3)] public partial Twice T { get; } }", "MD0098", DiagnosticSeverity.Error },
        // MD0098 in a template's use of another template: at the [With] argument inside the template, and a template that
        // uses itself at the member that closes the cycle.
        { "[Block] public partial class Leaf { public const int Width = 2; [Dense(Width)] public partial Sequential A { get; } } [Block] public partial class Branch { public const int Width = 2; [With(nameof(Leaf.Width), Width * 2, [|\"Depth\"|], 3)] public partial Leaf L { get; } } [Model(4)] public partial class UsesBranch { [With(nameof(Branch.Width), 3)] public partial Branch B { get; } }", "MD0098", DiagnosticSeverity.Error },
        { "[Block] public partial class Loop { public const int Width = 2; [Dense(Width)] public partial Sequential A { get; } [With(nameof(Loop.Width), Width)] public partial Loop [|Again|] { get; } } [Model(4)] public partial class UsesLoop { [With(nameof(Loop.Width), 2)] public partial Loop L { get; } }", "MD0098", DiagnosticSeverity.Error },
        { "[[|Model(4)|]] [Input(\"image\", 4)] public partial class ShapeTwice { [From(\"image\"), Dense(2)] public partial Sequential A { get; } }", "MD0097", DiagnosticSeverity.Error },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reports_the_id_severity_and_location(string marked, string id, DiagnosticSeverity severity)
    {
        MarkedSource source = MarkedSource.Parse(Usings + marked);
        GeneratorResult result = GeneratorHarness.Run(source.Text);

        Assert.True(result.Diagnostics.Count(d => d.Id == id) == 1, string.Join("\n", result.Diagnostics.Concat(result.CompilerDiagnostics)));
        Diagnostic diagnostic = result.Diagnostics.Single(d => d.Id == id);
        Assert.Equal(severity, diagnostic.Severity);
        Assert.Equal(source.Span, diagnostic.Location.SourceSpan);
        Assert.False(string.IsNullOrWhiteSpace(diagnostic.GetMessage()));
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "MD0099" && id != "MD0099");
    }

    [Fact]
    public void Errors_generate_only_the_surface_but_warnings_the_model()
    {
        Assert.Contains("throw new global::System.InvalidOperationException", GeneratorHarness.Run(Usings + "[Model(4)] [Dense(0)] public partial class Bad { }").AssertOnlySurface().Single());
        Assert.Single(GeneratorHarness.Run(Usings + "[Model(4)] [Dense(2, Init = Zeros)] public partial class Warned { }").Files);
    }

    [Fact]
    public void Messages_say_what_to_change()
    {
        var result = GeneratorHarness.Run(Usings + "[Model(1, 28, 28)] [Dense(10)] public partial class NoFlatten { }");
        string message = Assert.Single(result.Diagnostics).GetMessage();
        Assert.Contains("[B, 1, 28, 28]", message);
        Assert.Contains("add [Flatten]", message);
    }

    [Theory]
    [InlineData("0.99", true)]
    [InlineData("0.6", true)]
    [InlineData("0.5", false)]
    [InlineData("0.1", false)]
    public void A_momentum_above_one_half_is_MD0019_with_the_pytorch_value(string momentum, bool warned)
    {
        var result = GeneratorHarness.Run(Usings + $"[Model(4)] [Dense(2), BatchNorm(Momentum = {momentum})] public partial class Net {{ }}");
        Assert.Single(result.Files); // a warning still generates the model
        if (!warned)
        {
            Assert.Empty(result.Diagnostics);
            return;
        }
        string message = Assert.Single(result.Diagnostics, d => d.Id == "MD0019").GetMessage();
        string pytorch = (1 - double.Parse(momentum, System.Globalization.CultureInfo.InvariantCulture)).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"Keras's momentum {momentum} is Momentum = {pytorch} here", message);
    }

    [Fact]
    public void Every_descriptor_is_tested_documented_and_tracked()
    {
        string root = RepositoryRoot();
        string docs = System.IO.File.ReadAllText(System.IO.Path.Combine(root, "docs", "diagnostics.md"));
        string releases = System.IO.File.ReadAllText(System.IO.Path.Combine(root, "generator", "ModelDsl.Generator", "AnalyzerReleases.Unshipped.md"));
        // An ID counts as tested when a test file of this project names it in a case (each test class asserts
        // ID, severity and location for its own IDs: this file, Convolution/, Ensembles/, Regularization/).
        string testsFolder = System.IO.Path.Combine(root, "tests", "ModelDsl.Generator.Tests");
        var tested = System.IO.Directory.EnumerateFiles(testsFolder, "*Tests.cs", System.IO.SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(nameof(DiagnosticTests) + ".cs", System.StringComparison.Ordinal))
            .SelectMany(f => System.Text.RegularExpressions.Regex.Matches(System.IO.File.ReadAllText(f), "\"(MD\\d{4})\"").Select(m => m.Groups[1].Value))
            .Concat(Cases.Select(c => (string)c[1]))
            .ToHashSet();
        foreach (DiagnosticDescriptor descriptor in Diagnostics.Descriptors.All)
        {
            Assert.Contains($"id=\"{descriptor.Id.ToLowerInvariant()}\"", docs);
            Assert.Contains(descriptor.Id + " |", releases);
            Assert.Contains(descriptor.Id, tested);
        }
    }

    internal static string RepositoryRoot()
    {
        var directory = new System.IO.DirectoryInfo(System.AppContext.BaseDirectory);
        while (directory is not null && !System.IO.File.Exists(System.IO.Path.Combine(directory.FullName, "ModelDsl.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new System.InvalidOperationException("ModelDsl.sln not found above " + System.AppContext.BaseDirectory);
    }
}

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Tests.Infrastructure;
using ModelDsl.Generator.Tests.Runtime;
using ModelDsl.Weights;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Generator.Tests.Weights;

/// <summary>
/// [Model(..., WeightsFile = "net.safetensors")]: the safetensors files here are written by the runtime's own
/// SaveWeights / WeightsFile.Write, and the analyzer gets their header the way ModelDsl's build hands it over
/// (build/Package/ModelDsl.Weights.targets: the JSON after the 8-byte length, as obj/…/net.safetensors.header.json).
/// Every diagnostic is checked for ID, severity and location (the WeightsFile argument).
/// </summary>
public sealed class WeightsFileCheckTests : IDisposable
{
    private const string Argument = "WeightsFile = \"net.safetensors\"";

    private const string Source = """
        using ModelDsl;
        using TorchSharp.Modules;
        namespace Sweep;
        [Model(3, 8, 8, WeightsFile = "net.safetensors")]
        [Conv2d(4, 3, Name = "conv1"), BatchNorm(Name = "bn1"), ReLU]
        public partial class Net
        {
            [GlobalAvgPool, Dense(5, Name = "fc")] public partial Sequential Head { get; }
        }
        """;

    private readonly string directory = Directory.CreateTempSubdirectory("modeldsl-weights-check-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void A_file_saved_from_the_model_itself_passes()
    {
        Assert.Empty(Check(Source, Header(SavedFromTheModel())));
    }

    [Fact]
    public void Each_missing_unexpected_misshaped_and_other_dtype_tensor_is_one_diagnostic_at_the_argument()
    {
        string path = Path.Combine(directory, "net.safetensors");
        using (var scope = NewDisposeScope())
        {
            var tensors = new Dictionary<string, Tensor>
            {
                ["conv1.weight"] = zeros(4, 3, 5, 5),                 // shape: the declaration has 3×3 kernels
                ["conv1.bias"] = zeros(4),
                ["bn1.weight"] = ones(4, ScalarType.Float16),          // dtype
                ["bn1.bias"] = zeros(4),
                ["bn1.running_mean"] = zeros(4),
                ["bn1.running_var"] = ones(4),
                ["bn1.num_batches_tracked"] = tensor(0L),
                ["head.fc.weight"] = zeros(5, 4),                      // head.fc.bias missing
                ["classifier.weight"] = zeros(2, 5),                   // unexpected
            };
            WeightsFile.Write(path, tensors);
        }
        var diagnostics = Check(Source, Header(path));
        Assert.Equal(
            new[]
            {
                ("MD0102", DiagnosticSeverity.Error, "head.fc.bias"),
                ("MD0103", DiagnosticSeverity.Error, "classifier.weight"),
                ("MD0104", DiagnosticSeverity.Error, "conv1.weight"),
                ("MD0105", DiagnosticSeverity.Warning, "bn1.weight"),
            },
            diagnostics.Select(d => (d.Id, d.Severity, Quoted(d))).OrderBy(d => d.Id, StringComparer.Ordinal));
        Assert.All(diagnostics, AtTheArgument);
        Assert.Contains("is [4, 3, 5, 5], but 'Net' declares it [4, 3, 3, 3]", diagnostics.Single(d => d.Id == "MD0104").GetMessage());
        Assert.Contains("has no tensor 'head.fc.bias', which 'Net' declares as F32 [5]", diagnostics.Single(d => d.Id == "MD0102").GetMessage());
    }

    [Fact]
    public void Renames_map_the_files_names_onto_the_declarations()
    {
        // SaveWeights writes the file's names (features.0.weight, …); the check compares them through the same renames.
        string renamed = Source.Replace("public partial class Net", "[RenameWeights(\"features.0\", \"conv1\"), RenameWeights(\"features.1\", \"bn1\"), RenameWeights(\"classifier\", \"head.fc\")]\npublic partial class Net");
        string path = SavedFromTheModel(renamed);
        Assert.Contains("\"features.1.running_mean\"", Header(path).GetText()!.ToString());
        Assert.Empty(Check(renamed, Header(path)));

        // The same file against the declaration without the renames: every renamed key missing and unexpected.
        var diagnostics = Check(Source, Header(path));
        Assert.Equal(9, diagnostics.Count(d => d.Id == "MD0102"));
        Assert.Equal(9, diagnostics.Count(d => d.Id == "MD0103"));
    }

    [Fact]
    public void A_file_named_by_its_path_finds_the_header_the_build_named_after_its_file_name()
    {
        string withPath = Source.Replace(Argument, "WeightsFile = \"weights/net.safetensors\"");
        Assert.Empty(Check(withPath, Header(SavedFromTheModel())));
    }

    [Fact]
    public void A_file_the_build_was_not_given_is_MD0100()
    {
        Diagnostic diagnostic = Assert.Single(Check(Source));
        Assert.Equal(("MD0100", DiagnosticSeverity.Error), (diagnostic.Id, diagnostic.Severity));
        AtTheArgument(diagnostic);
        Assert.Contains("<ModelDslWeightsFile Include=\"path/to/net.safetensors\" />", diagnostic.GetMessage());
    }

    [Fact]
    public void The_binary_file_itself_as_an_AdditionalFile_is_MD0101_saying_how_to_give_it()
    {
        // The compiler reads no binary AdditionalFile (CS2015): its GetText is null.
        Diagnostic diagnostic = Assert.Single(Check(Source, new Additional("/project/net.safetensors", null)));
        Assert.Equal(("MD0101", DiagnosticSeverity.Error), (diagnostic.Id, diagnostic.Severity));
        AtTheArgument(diagnostic);
        Assert.Contains("<ModelDslWeightsFile", diagnostic.GetMessage());
    }

    [Theory]
    [InlineData("", "no safetensors header")]
    [InlineData("{\"conv1.weight\": {\"dtype\": \"F32\", \"shape\": [4, 3, 3, 3]", "malformed")]
    [InlineData("{\"conv1.weight\": {\"dtype\": \"F32\"}}", "no tensor")]
    [InlineData("[1, 2]", "does not start with an 8-byte header length followed by a JSON object")]
    public void A_header_that_is_no_safetensors_header_is_MD0101(string header, string problem)
    {
        Diagnostic diagnostic = Assert.Single(Check(Source, new Additional("/project/obj/ModelDsl/net.safetensors.header.json", header)));
        Assert.Equal(("MD0101", DiagnosticSeverity.Error), (diagnostic.Id, diagnostic.Severity));
        AtTheArgument(diagnostic);
        Assert.Contains(problem, diagnostic.GetMessage());
    }

    [Fact]
    public void A_whole_file_a_host_decodes_as_text_is_read_past_its_length_prefix()
    {
        // Byte for byte (Latin-1), as a compiler's fallback decoding gives a file it does read as text.
        Assert.Empty(Check(Source, new Additional("/project/net.safetensors", Encoding.Latin1.GetString(File.ReadAllBytes(SavedFromTheModel())))));
    }

    /// <summary>net.safetensors as the runtime's SaveWeights writes it from the generated model itself.</summary>
    private string SavedFromTheModel(string source = Source)
    {
        string path = Path.Combine(directory, "net.safetensors");
        Type type = LayerRankSweepTests.Compile(source).GetType("Sweep.Net")!;
        using var model = (nn.Module)Activator.CreateInstance(type, new object?[] { 4L, null, null })!;
        model.SaveWeights(path);
        return path;
    }

    private static void AtTheArgument(Diagnostic diagnostic)
    {
        int start = Source.IndexOf(Argument, StringComparison.Ordinal);
        Assert.Equal(new TextSpan(start, Argument.Length), diagnostic.Location.SourceSpan);
        Assert.True(diagnostic.Location.IsInSource);
    }

    private static string Quoted(Diagnostic diagnostic)
    {
        string message = diagnostic.GetMessage();
        // The tensor is the first quoted name that is not the file's.
        return message.Split('\'').Where((_, i) => i % 2 == 1).First(s => s != "net.safetensors");
    }

    /// <summary>What ModelDsl.Weights.targets hands the analyzer: the header JSON after the 8-byte little-endian length.</summary>
    private static Additional Header(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int length = checked((int)BitConverter.ToUInt64(bytes, 0));
        return new Additional("/project/obj/ModelDsl/net.safetensors.header.json", Encoding.UTF8.GetString(bytes, 8, length));
    }

    /// <summary>The model diagnostics of <paramref name="source"/> with these AdditionalFiles (the analyzer's only).</summary>
    private static ImmutableArray<Diagnostic> Check(string source, params AdditionalText[] files)
    {
        GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(GeneratorHarness.Compilation(source), out Compilation output, out _);
        var options = new AnalyzerOptions(files.ToImmutableArray());
        return output.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ModelAnalyzer()), options)
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
    }

    private sealed class Additional(string path, string? text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText? GetText(CancellationToken cancellationToken = default) => text is null ? null : SourceText.From(text);
    }
}

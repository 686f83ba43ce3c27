using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Convolution;

/// <summary>Every MD0030–0037 case: its ID, its severity, and its location on the offending attribute.</summary>
public class ConvolutionDiagnosticsTests
{
    [Theory]
    // MD0030: Dense straight after an image shape.
    [InlineData("[Model(1, 28, 28)]", "[Conv2d(8, 3), Dense(10)]", "Dense(10)", "MD0030", "add [Flatten]")]
    // MD0031: 5×5 input, kernel 3 dilation 3 spans 7 pixels: floor((5 − 3·2 − 1)/1) + 1 = −1.
    [InlineData("[Model(1, 5, 5)]", "[Conv2d(8, 3, Dilation = 3), Flatten, Dense(10)]", "Conv2d(8, 3, Dilation = 3)", "MD0031", "turns the [B, 1, 5, 5] input into [B, 8, -1, -1]")]
    // MD0031 from a pool: 3×3 map, 4×4 window.
    [InlineData("[Model(1, 3, 3)]", "[MaxPool2d(4), Flatten, Dense(10)]", "MaxPool2d(4)", "MD0031", "MaxPool2d(4) turns the [B, 1, 3, 3] input into [B, 1, 0, 0]")]
    // MD0032: 6 groups over 16 channels.
    [InlineData("[Model(1, 8, 8)]", "[Conv2d(16, 3), GroupNorm(6), Flatten, Dense(10)]", "GroupNorm(6)", "MD0032", "use one of 1, 2, 4, 8, 16")]
    // MD0033: instance norm on a 2-D shape [C, L], batch norm on a 4-D one, which they do not take.
    [InlineData("[Model(4, 10)]", "[InstanceNorm, Flatten, Dense(10)]", "InstanceNorm", "MD0033", "it applies to images [B, C, H, W]")]
    [InlineData("[Model(4, 10, 3, 3)]", "[BatchNorm, Flatten, Dense(10)]", "BatchNorm", "MD0033", "[B, 4, 10, 3, 3]")]
    [InlineData("[Model(8, 1, 1)]", "[InstanceNorm, Flatten, Dense(10)]", "InstanceNorm", "MD0033", "more than one pixel per channel")]
    // MD0034: instance norm after Flatten.
    [InlineData("[Model(1, 8, 8)]", "[Conv2d(4, 3), Flatten, InstanceNorm, Dense(10)]", "InstanceNorm", "MD0034", "flat features [B, 144]")]
    // MD0035: conv, pools, global pool and Dropout2d on flat input.
    [InlineData("[Model(784)]", "[Conv2d(8, 3), Flatten, Dense(10)]", "Conv2d(8, 3)", "MD0035", "[Model(1, 28, 28)]")]
    [InlineData("[Model(784)]", "[AvgPool2d(2), Dense(10)]", "AvgPool2d(2)", "MD0035", "receives [B, 784]")]
    [InlineData("[Model(784)]", "[GlobalAvgPool, Dense(10)]", "GlobalAvgPool", "MD0035", "receives [B, 784]")]
    [InlineData("[Model(784)]", "[Dropout2d(0.2), Dense(10)]", "Dropout2d(0.2)", "MD0035", "receives [B, 784]")]
    // MD0036: Same padding with stride 2; the message suggests d(k−1)/2 = 2.
    [InlineData("[Model(1, 28, 28)]", "[Conv2d(8, 5, Stride = 2, Padding = Padding.Same), Flatten, Dense(10)]", "Conv2d(8, 5, Stride = 2, Padding = Padding.Same)", "MD0036", "Padding = 2")]
    // MD0037: negative, fractional and non-numeric padding.
    [InlineData("[Model(1, 28, 28)]", "[Conv2d(8, 3, Padding = -1), Flatten, Dense(10)]", "Conv2d(8, 3, Padding = -1)", "MD0037", "but is -1")]
    [InlineData("[Model(1, 28, 28)]", "[Conv2d(8, 3, Padding = 1.5), Flatten, Dense(10)]", "Conv2d(8, 3, Padding = 1.5)", "MD0037", "but is 1.5")]
    [InlineData("[Model(1, 28, 28)]", "[Conv2d(8, 3, Padding = \"same\"), Flatten, Dense(10)]", "Conv2d(8, 3, Padding = \"same\")", "MD0037", "but is \"same\"")]
    // MD0003 for conv sizes and GroupNorm(0).
    [InlineData("[Model(1, 28, 28)]", "[Conv2d(8, 3, Stride = 0), Flatten, Dense(10)]", "Conv2d(8, 3, Stride = 0)", "MD0003", "Conv2d Stride")]
    [InlineData("[Model(1, 28, 28)]", "[GroupNorm(0), Flatten, Dense(10)]", "GroupNorm(0)", "MD0003", "GroupNorm groups")]
    // MD0005 for Dropout2d without rate or keep.
    [InlineData("[Model(1, 28, 28)]", "[Dropout2d, Flatten, Dense(10)]", "Dropout2d", "MD0005", "neither was given")]
    public void Error_is_reported_at_the_attribute(string model, string layers, string attribute, string id, string messagePart)
    {
        string source = $$"""
            using ModelDsl;

            namespace Demo;

            {{model}}
            {{layers}}
            public partial class Net { }
            """;
        GeneratorResult result = GeneratorHarness.Run(source);

        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains(messagePart, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(AttributeSpan(source, attribute), diagnostic.Location.SourceSpan.Start);
        Assert.Equal(attribute.Length, diagnostic.Location.SourceSpan.Length);
        result.AssertOnlySurface(); // no model is generated from an erroneous declaration, only its surface
    }

    [Fact]
    public void Low_keep_on_dropout2d_is_a_warning_at_the_attribute()
    {
        const string source = """
            using ModelDsl;

            namespace Demo;

            [Model(1, 8, 8)]
            [Dropout2d(Keep = 0.3), Flatten, Dense(10)]
            public partial class Net { }
            """;
        GeneratorResult result = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("MD0013", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal(AttributeSpan(source, "Dropout2d(Keep = 0.3)"), diagnostic.Location.SourceSpan.Start);
        Assert.Single(result.Files);
    }

    /// <summary>Where the attribute's text starts in the source (the layer list follows the [Model] line).</summary>
    private static int AttributeSpan(string source, string attribute)
    {
        int layers = source.IndexOf("]\n[", System.StringComparison.Ordinal) + 2;
        int at = source.IndexOf(attribute, layers, System.StringComparison.Ordinal);
        Assert.True(at > 0, attribute + " not found");
        // The attribute text must be the whole attribute, not a prefix of a longer one.
        Assert.True(source[at + attribute.Length] is ',' or ']', attribute + " is not a whole attribute");
        return at;
    }

    [Fact]
    public void Every_new_descriptor_is_documented_and_tracked()
    {
        string root = System.IO.Path.GetFullPath(System.IO.Path.Combine(System.AppContext.BaseDirectory, "../../../../.."));
        string docs = System.IO.File.ReadAllText(System.IO.Path.Combine(root, "docs/diagnostics.md"));
        string releases = System.IO.File.ReadAllText(System.IO.Path.Combine(root, "generator/ModelDsl.Generator/AnalyzerReleases.Unshipped.md"));
        foreach (string id in Enumerable.Range(30, 8).Select(n => "MD00" + n))
        {
            Assert.Contains($"<a id=\"{id.ToLowerInvariant()}\"></a>{id}", docs);
            Assert.Contains(id + " |", releases);
        }
    }
}

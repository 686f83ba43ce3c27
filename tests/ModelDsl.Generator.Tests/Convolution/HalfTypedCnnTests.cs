using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Convolution;

/// <summary>
/// While the user types, attribute arguments are missing or unfinished: the generator must neither throw nor report
/// MD0099. The declaration is cut at every argument boundary of the convolutional attributes.
/// </summary>
public class HalfTypedCnnTests
{
    private const string Head = "using ModelDsl;\nnamespace Demo;\n[Model(3, 16, 16)]\n";
    private const string Layers = "[Conv2d(8, 3, Stride = 2, Padding = Padding.Same, Dilation = 2), GroupNorm(4), InstanceNorm(Affine = true), MaxPool2d(2, Stride = 1), AvgPool2d(2), Dropout2d(Keep = 0.9), GlobalAvgPool, Dense(3)]";
    private const string Tail = "\npublic partial class Net { }\n";

    [Fact]
    public void Every_cut_at_an_argument_boundary_generates_or_reports_without_crashing()
    {
        int cuts = 0;
        for (int i = 1; i <= Layers.Length; i++)
        {
            if (i < Layers.Length && Layers[i - 1] is not ('(' or ',' or '=' or '.' or ')')) continue;
            string source = Head + Layers.Substring(0, i) + Tail;
            GeneratorDriverRunResult run = GeneratorHarness.Driver()
                .RunGenerators(GeneratorHarness.Compilation(source)).GetRunResult();
            GeneratorRunResult result = Assert.Single(run.Results);
            Assert.Null(result.Exception);
            Assert.DoesNotContain(result.Diagnostics, d => d.Id == "MD0099");
            cuts++;
        }
        Assert.True(cuts > 20, cuts.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Generator.Tests.Layers;

/// <summary>
/// [Upsample(s, Mode)]: nn.Upsample with the scale factor, [C, ⌊H·s⌋, ⌊W·s⌋], and on real tensors PyTorch's nearest
/// (source ⌊i/s⌋) and bilinear with align_corners false (source (i + ½)/s − ½, clamped at 0; F.interpolate's definition).
/// [Upsample(SizeOf = v)]: nn.Upsample with v's height and width, where PyTorch's s is output ÷ input per side.
/// </summary>
public class UpsampleRuleTests
{
    private const string Usings = "using ModelDsl;\n";

    [Fact]
    public void Generates_nn_Upsample_with_the_scale_and_mode()
    {
        string code = GeneratorHarness.Run(Usings + "[Model(3, 5, 4)] [Upsample(2), Upsample(1.5, Mode = Interpolation.Bilinear)] public partial class Net { }").AssertClean().Single();
        Assert.Contains("upsample1 = global::TorchSharp.torch.nn.Upsample(scale_factor: new double[] { 2.0, 2.0 }, mode: global::TorchSharp.torch.UpsampleMode.Nearest);", code);
        Assert.Contains("upsample2 = global::TorchSharp.torch.nn.Upsample(scale_factor: new double[] { 1.5, 1.5 }, mode: global::TorchSharp.torch.UpsampleMode.Bilinear, align_corners: false);", code);
        Assert.Contains("[B, 3, 10, 8]", code);
        Assert.Contains("[B, 3, 15, 12]", code);
    }

    [Theory]
    [InlineData("Upsample(0)")]
    [InlineData("Upsample(-2)")]
    public void A_scale_that_is_not_positive_is_MD0003(string layer)
        => Assert.Contains(GeneratorHarness.Run(Usings + $"[Model(3, 4, 4)] [{layer}] public partial class Net {{ }}").Diagnostics, d => d.Id == "MD0003");

    [Fact]
    public void A_scale_that_leaves_no_pixel_is_MD0031_with_the_upsampling_formula()
        => SingleError.AssertAt(Usings + "[Model(3, 4, 4)] [[|Upsample(0.2)|]] public partial class Net { }", "MD0031",
            "turns the [B, 3, 4, 4] input into [B, 3, 0, 0]: the output size floor(H·scale) must be at least 1; use a larger scale factor");

    [Theory]
    [InlineData("Nearest", 2.0)]
    [InlineData("Bilinear", 2.0)]
    [InlineData("Bilinear", 3.0)]
    public void Outputs_follow_pytorchs_interpolation(string mode, double scale)
    {
        const int H = 3, W = 4;
        int h = (int)(H * scale), w = (int)(W * scale);
        AssertInterpolates(Usings + $"[Model(1, {H}, {W})] [Upsample({scale}, Mode = Interpolation.{mode})] public partial class Net {{ }}",
            mode, H, W, h, w, 1 / scale, 1 / scale, image => image);
    }

    [Theory]
    [InlineData("Nearest")]
    [InlineData("Bilinear")]
    public void SizeOf_upsamples_to_the_named_values_height_and_width(string mode)
    {
        // [1, 7, 5] → pooled [1, 3, 2] → upsampled to the input's 7 × 5: ratios 3/7 and 2/5, not a whole scale.
        string source = Usings + "using TorchSharp.Modules;\n" + $$"""
            [Model(1, 7, 5)]
            public partial class Net
            {
                [AvgPool2d(2)] public partial Sequential Down { get; }
                [Upsample(SizeOf = "input", Mode = Interpolation.{{mode}})] public partial Sequential Up { get; }
            }
            """;
        Assert.Contains("nn.Upsample(size: new long[] { 7, 5 }", GeneratorHarness.Run(source).AssertClean().Single());
        AssertInterpolates(source, mode, 3, 2, 7, 5, 3.0 / 7, 2.0 / 5, image => nn.functional.avg_pool2d(image, 2));
    }

    [Theory]
    [InlineData("[Conv2d(3, 1)] Stem", "[|Upsample|]", "neither a scale factor nor SizeOf")]
    [InlineData("[Conv2d(3, 1)] Stem", "Upsample([|SizeOf = \"Later\"|])", "SizeOf = \"Later\" names no input or block declared above this layer's block; it can name 'input', 'Stem'")]
    [InlineData("[Conv2d(3, 1)] Stem", "Upsample([|SizeOf = \"Head\"|])", "it can name 'input', 'Stem'")]
    [InlineData("[Flatten] Stem", "Upsample([|SizeOf = \"Stem\"|]), Conv2d(3, 1)", "names a value of shape [B, 48], which is no image")]
    public void A_size_not_given_once_or_not_found_is_MD0113(string stem, string head, string message)
    {
        // Head reads the input (the graph's [From]) so that its own input is an image whatever Stem is.
        string[] stemParts = stem.Split("] ");
        var source = MarkedSource.Parse(Usings + "using TorchSharp.Modules;\n" + $$"""
            [Model(3, 4, 4)]
            public partial class Net
            {
                {{stemParts[0]}}] public partial Sequential {{stemParts[1]}} { get; }
                [From("input"), {{head}}, Conv2d(3, 1)] public partial Sequential Head { get; }
                [Conv2d(3, 1)] public partial Sequential Later { get; }
            }
            """);
        Diagnostic error = Assert.Single(GeneratorHarness.Run(source.Text).Diagnostics, d => d.Id == "MD0113");
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal(source.Span, error.Location.SourceSpan);
        Assert.Contains(message, error.GetMessage());
    }

    [Fact]
    public void SizeOf_inside_a_residual_branch_is_MD0113_saying_the_branch_sees_only_its_input()
    {
        // A neighbour no other test names: a residual unit's layers see only the unit's input, not the model's values.
        var source = MarkedSource.Parse(Usings + "using TorchSharp.Modules;\n" + """
            [Model(3, 4, 4)]
            public partial class Net
            {
                [Residual, Conv2d(3, 1), Upsample([|SizeOf = "input"|])] public partial Sequential Block { get; }
            }
            """);
        Diagnostic error = Assert.Single(GeneratorHarness.Run(source.Text).Diagnostics, d => d.Id == "MD0113");
        Assert.Equal(source.Span, error.Location.SourceSpan);
        Assert.Contains("inside a residual unit or a template use a layer sees only its own input", error.GetMessage());
    }

    /// <summary>
    /// Runs the model on a cosine image and checks every output pixel against F.interpolate's definition with the source
    /// step (input ÷ output per side): nearest ⌊i·step⌋, bilinear (i + ½)·step − ½ clamped at 0.
    /// </summary>
    private static void AssertInterpolates(string source, string mode, int H, int W, int h, int w, double stepRows, double stepColumns, Func<Tensor, Tensor> before)
    {
        using var model = GeneratorHarness.Instantiate<nn.Module<Tensor, Tensor>>(source);
        long[] shape = ((System.Collections.Generic.IReadOnlyList<long>)model.GetType().GetProperty("InputShape")!.GetValue(model)!).ToArray();
        int count = (int)shape.Aggregate(1L, (a, b) => a * b);
        using Tensor input = tensor(Enumerable.Range(0, count).Select(i => (float)Math.Cos(i * 0.9)).ToArray()).reshape(new[] { 1L }.Concat(shape).ToArray());
        float[] x = before(input).data<float>().ToArray();
        Assert.Equal(H * W, x.Length);
        float[] y = model.forward(input).data<float>().ToArray();
        Assert.Equal(h * w, y.Length);
        double At(int r, int c) => x[r * W + c];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
            {
                double expected;
                if (mode == "Nearest") expected = At(Math.Min((int)Math.Floor(i * stepRows), H - 1), Math.Min((int)Math.Floor(j * stepColumns), W - 1));
                else
                {
                    double sr = Math.Max(0, (i + 0.5) * stepRows - 0.5), sc = Math.Max(0, (j + 0.5) * stepColumns - 0.5);
                    int r0 = (int)sr, c0 = (int)sc, r1 = Math.Min(r0 + 1, H - 1), c1 = Math.Min(c0 + 1, W - 1);
                    double fr = sr - r0, fc = sc - c0;
                    expected = (1 - fr) * ((1 - fc) * At(r0, c0) + fc * At(r0, c1)) + fr * ((1 - fc) * At(r1, c0) + fc * At(r1, c1));
                }
                Assert.Equal(expected, y[i * w + j], 1e-5);
            }
    }
}

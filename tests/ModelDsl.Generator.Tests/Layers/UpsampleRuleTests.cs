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

    [Theory]
    [InlineData("Nearest", 2.0)]
    [InlineData("Bilinear", 2.0)]
    [InlineData("Bilinear", 3.0)]
    public void Outputs_follow_pytorchs_interpolation(string mode, double scale)
    {
        const int H = 3, W = 4;
        string source = Usings + $"[Model(1, {H}, {W})] [Upsample({scale}, Mode = Interpolation.{mode})] public partial class Net {{ }}";
        GeneratorResult result = GeneratorHarness.Run(source).AssertClean();
        Compilation compilation = GeneratorHarness.Compilation(source).AddSyntaxTrees(result.RunResult.GeneratedTrees);
        using var image = new MemoryStream();
        Assert.True(compilation.Emit(image).Success);
        using var model = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(Assembly.Load(image.ToArray()).GetType("Net")!, new object?[] { 1L, null, null })!;
        float[] x = Enumerable.Range(0, H * W).Select(i => (float)Math.Cos(i * 0.9)).ToArray();
        int h = (int)(H * scale), w = (int)(W * scale);
        float[] y = model.forward(tensor(x).reshape(1, 1, H, W)).data<float>().ToArray();
        double At(int r, int c) => x[r * W + c];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
            {
                double expected;
                if (mode == "Nearest") expected = At((int)Math.Floor(i / scale), (int)Math.Floor(j / scale));
                else
                {
                    double sr = Math.Max(0, (i + 0.5) / scale - 0.5), sc = Math.Max(0, (j + 0.5) / scale - 0.5);
                    int r0 = (int)sr, c0 = (int)sc, r1 = Math.Min(r0 + 1, H - 1), c1 = Math.Min(c0 + 1, W - 1);
                    double fr = sr - r0, fc = sc - c0;
                    expected = (1 - fr) * ((1 - fc) * At(r0, c0) + fc * At(r0, c1)) + fr * ((1 - fc) * At(r1, c0) + fc * At(r1, c1));
                }
                Assert.Equal(expected, y[i * w + j], 1e-5);
            }
    }
}

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
/// [AdaptiveAvgPool2d(h, w)] and [AdaptiveMaxPool2d(h, w)]: TorchSharp's modules, the output shape [C, h, w] for any
/// input, and PyTorch's bins (rows ⌊i·H/h⌋ to ⌈(i+1)·H/h⌉ − 1, overlapping when h does not divide H) on real tensors.
/// </summary>
public class AdaptivePool2dRuleTests
{
    private const string Usings = "using ModelDsl;\n";

    [Fact]
    public void Generates_the_modules_and_the_output_shape()
    {
        string code = GeneratorHarness.Run(Usings + "[Model(3, 9, 7)] [AdaptiveAvgPool2d(7), AdaptiveMaxPool2d(2, 3), Flatten, Dense(2)] public partial class Net { }").AssertClean().Single();
        Assert.Contains("adaptiveavgpool = global::TorchSharp.torch.nn.AdaptiveAvgPool2d(7);", code);
        Assert.Contains("adaptivemaxpool = global::TorchSharp.torch.nn.AdaptiveMaxPool2d(output_size: new long[] { 2, 3 });", code);
        Assert.Contains("/// adaptiveavgpool: AdaptiveAvgPool2d(7)", code);
        Assert.Contains("[B, 3, 7, 7]", code);
        Assert.Contains("[B, 3, 2, 3]", code);
        Assert.Contains("dense = global::TorchSharp.torch.nn.Linear(18, 2", code);
    }

    [Theory]
    [InlineData("[AdaptiveAvgPool2d(0)]", "MD0003")]
    [InlineData("[AdaptiveMaxPool2d(2, -1)]", "MD0003")]
    public void Sizes_below_one_are_refused(string layers, string id)
        => Assert.Contains(GeneratorHarness.Run(Usings + $"[Model(3, 8, 8)] {layers} public partial class Net {{ }}").Diagnostics, d => d.Id == id);

    [Fact]
    public void Features_are_refused_as_not_an_image()
        => Assert.Contains(GeneratorHarness.Run(Usings + "[Model(8)] [AdaptiveAvgPool2d(2)] public partial class Net { }").Diagnostics, d => d.Id == "MD0035");

    [Theory]
    [InlineData("AdaptiveAvgPool2d", 5, 3)]
    [InlineData("AdaptiveMaxPool2d", 5, 3)]
    [InlineData("AdaptiveAvgPool2d", 7, 7)]
    [InlineData("AdaptiveAvgPool2d", 4, 6)]
    public void Each_output_cell_pools_pytorchs_bin(string kind, int input, int output)
    {
        string source = Usings + $"[Model(1, {input}, {input})] [{kind}({output})] public partial class Net {{ }}";
        using var model = GeneratorHarness.Instantiate<nn.Module<Tensor, Tensor>>(source);
        float[] x = Enumerable.Range(0, input * input).Select(i => (float)Math.Sin(i * 1.3)).ToArray();
        float[] y = model.forward(tensor(x).reshape(1, 1, input, input)).data<float>().ToArray();
        for (int i = 0; i < output; i++)
            for (int j = 0; j < output; j++)
            {
                int r0 = i * input / output, r1 = (int)Math.Ceiling((i + 1) * input / (double)output);
                int c0 = j * input / output, c1 = (int)Math.Ceiling((j + 1) * input / (double)output);
                var bin = from r in Enumerable.Range(r0, r1 - r0) from c in Enumerable.Range(c0, c1 - c0) select (double)x[r * input + c];
                double expected = kind == "AdaptiveAvgPool2d" ? bin.Average() : bin.Max();
                Assert.Equal(expected, y[i * output + j], 1e-6);
            }
    }
}

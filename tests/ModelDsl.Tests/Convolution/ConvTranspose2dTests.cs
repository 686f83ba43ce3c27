using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using ModelDsl.Weights;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Convolution;

/// <summary>The two layers of fixtures/make_conv_transpose_fixtures.py, under the same child names.</summary>
[Model(4, 5, 4)]
[ConvTranspose2d(6, 3, Stride = 2, Padding = 1, OutputPadding = 1, Groups = 2), ConvTranspose2d(3, 2, Dilation = 2, Bias = false)]
public partial class TransposedPair { }

/// <summary>A wide grouped transposed convolution left at the default init: weight [2, 256, 1, 1], bias [512].</summary>
[Model(2, 3, 3)]
[ConvTranspose2d(512, 1, Groups = 2)]
public partial class WideTransposed { }

/// <summary>
/// [ConvTranspose2d] on real tensors: PyTorch 1.13's torch.nn.ConvTranspose2d state_dict loads strictly and gives its
/// outputs (grouped, strided, padded with output padding; dilated without bias).
/// </summary>
public class ConvTranspose2dTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Convolution", "fixtures");

    private static Tensor Floats(string file, params long[] shape)
        => tensor(MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(Fixtures, file))).ToArray(), shape);

    [Fact]
    public void Pytorchs_weights_load_strictly_and_give_its_outputs()
    {
        using var scope = NewDisposeScope();
        using var model = new TransposedPair(seed: 1);
        model.LoadWeights(Path.Combine(Fixtures, "conv_transpose.pt"));
        model.eval();
        Tensor actual = model.forward(Floats("conv_transpose_input.bin", 2, 4, 5, 4));
        Tensor expected = Floats("conv_transpose_output.bin", 2, 3, 12, 10);
        Assert.Equal(expected.shape, actual.shape);
        // Float32 sums of at most 2·3·3 + 6·2·2 terms of order 1: rounding far below 1e-5.
        Assert.True(actual.allclose(expected, rtol: 0, atol: 1e-5), $"max difference {(actual - expected).abs().max().item<float>()}");
    }

    /// <summary>
    /// PyTorch's default (_ConvNd.reset_parameters: kaiming_uniform_ with a = √5, bias from the same fan_in) draws weight
    /// and bias from U(−1/√fan_in, 1/√fan_in) with fan_in = weight.size(1)·k·k (torch.nn.init._calculate_fan_in_and_fan_out),
    /// which for the transposed weight [C, out/g, k, k] is (512/2)·1 = 256: the bound 1/16. The fan of the input channels
    /// (bound 1) or of the output channels without the groups (1/√512 ≈ 0.044) would fail one of the two checks: with
    /// 512 draws each, the largest |w| falls below 0.95 of the bound with probability 0.95⁵¹² ≈ 4e-12.
    /// </summary>
    [Fact]
    public void The_default_init_reads_fan_in_from_the_transposed_weight_as_pytorch_does()
    {
        using var scope = NewDisposeScope();
        using var model = new WideTransposed(seed: 5);
        var layer = (TorchSharp.Modules.ConvTranspose2d)model.named_modules().Single(m => m.module is TorchSharp.Modules.ConvTranspose2d).module;
        Assert.Equal(new long[] { 2, 256, 1, 1 }, layer.weight!.shape);
        const double bound = 1.0 / 16;
        foreach (Tensor drawn in new[] { layer.weight!, layer.bias! })
        {
            double largest = drawn.abs().max().item<float>();
            Assert.InRange(largest, 0.95 * bound, bound);
        }
    }
}

using System;
using System.IO;
using System.Runtime.InteropServices;
using ModelDsl.Weights;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Convolution;

/// <summary>The two layers of fixtures/make_conv_transpose_fixtures.py, under the same child names.</summary>
[Model(4, 5, 4)]
[ConvTranspose2d(6, 3, Stride = 2, Padding = 1, OutputPadding = 1, Groups = 2), ConvTranspose2d(3, 2, Dilation = 2, Bias = false)]
public partial class TransposedPair { }

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
}

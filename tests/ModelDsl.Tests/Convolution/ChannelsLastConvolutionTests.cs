using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Tests.Models;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Convolution;

/// <summary>
/// A convolution computed straight into channels-last memory (<see cref="ChannelsLastConvolution"/>, which
/// <see cref="ChannelsLast.FromLayer"/> runs where a model switches layouts after a convolution) gives libtorch's own
/// convolution's output and gradients for every kernel, stride, padding, dilation and bias, within the rounding of the
/// sums it reorders; so does its blocked product for channels-last images (<see cref="ChannelsLastConvolution.ForwardChannelsLast"/>,
/// what <see cref="FoldedInference"/> runs). Two tests set the policy and turn oneDNN off (the paths run only without it),
/// so they run alone.
/// </summary>
[Collection(nameof(ModelDsl.Tests.Weights.GlobalGeneratorCollection))]
public class ChannelsLastConvolutionTests
{
    public static IEnumerable<object[]> Options()
        => from channels in new long[] { 1, 3 }
           from kernel in new long[] { 1, 2, 3, 5 }
           from stride in new long[] { 1, 2 }
           from padding in new long[] { 0, 1, 2 }
           from dilation in new long[] { 1, 2 }
           from bias in new[] { false, true }
           select new object[] { channels, kernel, stride, padding, dilation, bias };

    [Theory]
    [MemberData(nameof(Options))]
    public void Matches_libtorchs_convolution_in_output_and_every_gradient(long channels, long kernel, long stride, long padding, long dilation, bool bias)
    {
        using var scope = NewDisposeScope();
        manual_seed(channels * 1000 + kernel * 100 + stride * 10 + padding + dilation * 7);
        AssertMatches(nn.Conv2d(channels, 4, kernel, stride: stride, padding: padding, dilation: dilation, bias: bias));
    }

    public static IEnumerable<object[]> SameOptions()
        => from channels in new long[] { 1, 3 }
           from kernel in new long[] { 1, 2, 3, 4, 5 }
           from dilation in new long[] { 1, 2 }
           from bias in new[] { false, true }
           select new object[] { channels, kernel, dilation, bias };

    [Theory]
    [MemberData(nameof(SameOptions))]
    public void Matches_libtorchs_convolution_with_same_padding_even_spans_padded_more_after(long channels, long kernel, long dilation, bool bias)
    {
        using var scope = NewDisposeScope();
        manual_seed(channels * 1000 + kernel * 100 + dilation * 7);
        AssertMatches(nn.Conv2d(channels, 4, kernel, padding: TorchSharp.Padding.Same, dilation: dilation, bias: bias));
    }

    private static void AssertMatches(Conv2d conv)
    {
        long channels = conv.in_channels, kernel = conv.kernel_size[0];
        bool bias = conv.bias is not null;
        Tensor x = randn(2, channels, 9, 11).requires_grad_();
        Tensor upstream = randn(conv.forward(x).shape);

        var (expected, expectedGradients) = Run(conv, x, upstream, c => c.forward(x));
        var (actual, actualGradients) = Run(conv, x, upstream, c => ChannelsLastConvolution.Forward(c, x));

        Assert.Equal(expected.shape, actual.shape);
        Assert.True(ChannelsLast.IsChannelsLast(actual));
        // Each output sums K = C·k² products (and the bias): a float32 sum of K terms is within γ_K·Σ|terms| of the
        // exact one, γ_K ≈ K·ε, ε = 2⁻²⁴ (Higham, "Accuracy and Stability of Numerical Algorithms", §3.1); two orders
        // of summation are within twice that. The Σ|terms| come from the same convolution over absolute values.
        long terms = channels * kernel * kernel + 1;
        Tensor xAbsolute = x.detach().abs().requires_grad_();
        var (magnitude, magnitudeGradients) = Run(Absolute(conv), xAbsolute, upstream.abs(), c => c.forward(xAbsolute));
        AssertWithin(actual, expected, magnitude, terms, "output");
        // The weight's gradient sums over N·H'·W' positions, the input's over O·k² taps, the bias's over N·H'·W'.
        long positions = expected.shape[0] * expected.shape[2] * expected.shape[3];
        AssertWithin(actualGradients[0], expectedGradients[0], magnitudeGradients[0], 4 * kernel * kernel, "input gradient");
        AssertWithin(actualGradients[1], expectedGradients[1], magnitudeGradients[1], positions, "weight gradient");
        if (bias) AssertWithin(actualGradients[2], expectedGradients[2], magnitudeGradients[2], positions, "bias gradient");
    }

    private static (Tensor Output, Tensor[] Gradients) Run(Conv2d conv, Tensor x, Tensor upstream, Func<Conv2d, Tensor> forward)
    {
        conv.zero_grad();
        Tensor output = forward(conv);
        var inputs = new List<Tensor> { x }.Concat(conv.parameters()).ToList();
        Tensor[] gradients = autograd.grad(new[] { output }, inputs, new[] { upstream }, allow_unused: true).ToArray();
        return (output.detach(), gradients);
    }

    // The same convolution with |W| and |b|: its output over |x| is Σ|w||x| + |b|, its gradients for an upstream |g|
    // are Σ|g||w| (input), Σ|g||x| (weight) and Σ|g| (bias).
    private static Conv2d Absolute(Conv2d conv)
    {
        var copy = conv.padding is { } padding
            ? nn.Conv2d(conv.in_channels, conv.out_channels, conv.kernel_size[0], stride: conv.stride[0], padding: padding[0], dilation: conv.dilation[0], bias: conv.bias is not null)
            : nn.Conv2d(conv.in_channels, conv.out_channels, conv.kernel_size[0], padding: conv.padding_type!.Value, dilation: conv.dilation[0], bias: conv.bias is not null);
        using (no_grad())
        {
            copy.weight.copy_(conv.weight.abs());
            copy.bias?.copy_(conv.bias!.abs());
        }
        return copy;
    }

    private static void AssertWithin(Tensor actual, Tensor expected, Tensor magnitude, long terms, string what)
    {
        double epsilon = Math.Pow(2, -24);
        Tensor bound = magnitude * (2 * terms * epsilon) + 1e-30;
        Tensor excess = (actual - expected).abs() - bound;
        Assert.True(excess.max().item<float>() <= 0, $"{what}: differs by {(actual - expected).abs().max().item<float>()} where the bound allows {bound.min().item<float>()}–{bound.max().item<float>()}");
    }

    public static IEnumerable<object[]> ChannelsLastOptions()
        => from kernel in new long[] { 1, 3, 5 }
           from stride in new long[] { 1, 2 }
           from padding in new long[] { 0, 1, 2 }
           from dilation in new long[] { 1, 2 }
           from bias in new[] { false, true }
           select new object[] { kernel, stride, padding, dilation, bias };

    [Theory]
    [MemberData(nameof(ChannelsLastOptions))]
    public void A_channels_last_image_unfolded_in_blocks_matches_libtorchs_convolution(long kernel, long stride, long padding, long dilation, bool bias)
    {
        using var scope = NewDisposeScope();
        manual_seed(kernel * 100 + stride * 10 + padding + dilation * 7);
        var conv = nn.Conv2d(5, 6, kernel, stride: stride, padding: padding, dilation: dilation, bias: bias);
        // 11 images, in blocks that do not divide 11 for every geometry here.
        AssertMatchesChannelsLast(conv, randn(11, 5, 20, 23));
    }

    [Theory]
    [InlineData(3L, 1L, false)]
    [InlineData(3L, 2L, true)]
    [InlineData(5L, 1L, true)]
    public void A_channels_last_image_with_same_padding_and_relu_matches_libtorchs_convolution(long kernel, long dilation, bool bias)
    {
        using var scope = NewDisposeScope();
        manual_seed(kernel * 100 + dilation * 7);
        var conv = nn.Conv2d(4, 7, kernel, padding: TorchSharp.Padding.Same, dilation: dilation, bias: bias);
        AssertMatchesChannelsLast(conv, randn(3, 4, 16, 16), rectify: true);
    }

    private static void AssertMatchesChannelsLast(Conv2d conv, Tensor image, bool rectify = false)
    {
        Tensor x = ChannelsLast.Of(image);
        using var noGrad = no_grad();
        Tensor expected = conv.forward(image), magnitude = Absolute(conv).forward(image.abs());
        if (rectify) expected = expected.relu();
        Tensor actual = ChannelsLastConvolution.ForwardChannelsLast(conv, x, conv.weight, conv.bias, rectify);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(ChannelsLast.IsChannelsLast(actual));
        // ReLU is 1-Lipschitz, so the summation bound holds after it too.
        AssertWithin(actual, expected, magnitude, conv.in_channels * conv.kernel_size[0] * conv.kernel_size[1] + 1, "output");
    }

    [Fact]
    public void The_blocked_path_applies_only_to_large_enough_ungrouped_symmetric_channels_last_convolutions()
    {
        using var scope = NewDisposeScope();
        var conv = nn.Conv2d(32, 64, 3, padding: 1);   // 18,432 multiply-adds per output position
        Tensor image = randn(16, 32, 28, 28), imageLast = ChannelsLast.Of(image);
        ChannelsLastTests.WithoutOneDnn(ChannelsLastPolicy.Always, () =>
        {
            Assert.Equal(!LibTorchBackends.OneDnnEnabled, ChannelsLastConvolution.AppliesChannelsLast(conv, imageLast));   // 231 M multiply-adds
            Assert.False(ChannelsLastConvolution.AppliesChannelsLast(conv, image));                                          // NCHW: Applies' path
            Assert.False(ChannelsLastConvolution.AppliesChannelsLast(nn.Conv2d(32, 64, 3, padding: 1, groups: 2), imageLast)); // grouped
            Assert.False(ChannelsLastConvolution.AppliesChannelsLast(nn.Conv2d(32, 64, 2, padding: TorchSharp.Padding.Same), imageLast)); // pads one side more
            Assert.False(ChannelsLastConvolution.AppliesChannelsLast(conv, ChannelsLast.Of(randn(1, 32, 28, 28))));          // 14 M: libtorch's is cheaper
            Assert.False(ChannelsLastConvolution.AppliesChannelsLast(nn.Conv2d(4, 64, 3, padding: 1), ChannelsLast.Of(randn(64, 4, 28, 28))));   // runs of 4 numbers
            Assert.False(ChannelsLastConvolution.AppliesChannelsLast(nn.Conv2d(32, 4, 1), ChannelsLast.Of(randn(256, 32, 28, 28))));   // 128 per position
            Assert.False(ChannelsLastConvolution.AppliesChannelsLast(nn.Conv2d(1, 64, 3, padding: 1), randn(64, 1, 28, 28)));        // one channel
            Assert.False(ChannelsLastConvolution.AppliesChannelsLast(conv, imageLast.to(ScalarType.BFloat16)));            // autocast's bfloat16: the layer's own forward
        });
    }

    [Fact]
    public void FromLayer_runs_the_layer_and_hands_back_channels_last_only_where_the_model_switches()
    {
        using var scope = NewDisposeScope();
        var model = new SmallCnn(seed: 1);
        var conv = nn.Conv2d(1, 8, 3, padding: 1);
        var grouped = nn.Conv2d(4, 8, 3, padding: 1, groups: 2);
        var pool = nn.MaxPool2d(2);
        Tensor gray = randn(2, 1, 6, 6), image = randn(2, 4, 6, 6);
        Tensor imageLast = ChannelsLast.Of(image);
        ChannelsLastTests.WithoutOneDnn(ChannelsLastPolicy.Never, () =>
        {
            Tensor plain = ChannelsLast.FromLayer(conv, gray, model);
            Assert.True(plain.is_contiguous());
            Assert.True(plain.equal(conv.forward(gray)).all().item<bool>());
        });
        ChannelsLastTests.WithoutOneDnn(ChannelsLastPolicy.Always, () =>
        {
            Assert.Equal(!LibTorchBackends.OneDnnEnabled, ChannelsLastConvolution.Applies(conv, gray)); // oneDNN converts layouts itself
            Assert.False(ChannelsLastConvolution.Applies(grouped, image));                 // libtorch's grouped convolution, then a copy
            Assert.False(ChannelsLastConvolution.Applies(conv, randn(1, 6, 6)));           // unbatched
            Assert.False(ChannelsLastConvolution.Applies(nn.Conv2d(4, 8, 3), imageLast));  // already channels-last: libtorch keeps it
            foreach (var (layer, input) in new (nn.Module<Tensor, Tensor>, Tensor)[] { (conv, gray), (grouped, image), (pool, image), (nn.Conv2d(4, 8, 3), imageLast) })
            {
                Tensor output = ChannelsLast.FromLayer(layer, input, model);
                Tensor reference = layer.forward(input);
                Assert.True(ChannelsLast.IsChannelsLast(output), $"{layer.GetName()}: not channels-last");
                Assert.True((output - reference).abs().max().item<float>() <= 1e-5f * Math.Max(1, reference.abs().max().item<float>()), layer.GetName());
            }
        });
    }
}

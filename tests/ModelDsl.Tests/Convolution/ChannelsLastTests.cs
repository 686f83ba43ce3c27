using System;
using System.Linq;
using ModelDsl.Tests.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Convolution;

/// <summary>
/// Generated CNNs run their image layers on channels-last activations. The layout changes speed only: outputs and
/// gradients equal those of the same model in NCHW within float32 rounding of the sums a convolution reorders.
/// </summary>
public class ChannelsLastTests
{
    [Fact]
    public void From_keeps_every_value_and_switches_the_strides_of_a_multi_channel_image_only()
    {
        using var scope = NewDisposeScope();
        Tensor x = randn(new long[] { 2, 3, 4, 5 }, generator: new Generator(1));
        Tensor last = ChannelsLast.From(x);
        Assert.True(last.equal(x).all().item<bool>());
        Assert.True(ChannelsLast.IsChannelsLast(last));
        Assert.Equal(new long[] { 60, 1, 15, 3 }, new[] { last.stride(0), last.stride(1), last.stride(2), last.stride(3) });
        Assert.Same(last, ChannelsLast.From(last));                 // already channels-last
        Tensor gray = randn(2, 1, 4, 5);
        Assert.Same(gray, ChannelsLast.From(gray));                 // one channel: the same memory either way
        Tensor features = randn(2, 3);
        Assert.Same(features, ChannelsLast.From(features));         // not an image
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_generated_cnn_gives_the_same_outputs_and_gradients_with_and_without_the_switch(bool training)
    {
        (Tensor Output, Tensor[] Gradients) Run(bool channelsLast)
        {
            bool before = ChannelsLast.Enabled;
            ChannelsLast.Enabled = channelsLast;
            try
            {
                var model = new SmallCnn(seed: 3);
                model.train(training);
                manual_seed(5); // the same dropout masks in both runs
                Tensor output = model.forward(randn(new long[] { 6, 1, 20, 18 }, generator: new Generator(2)));
                output.sum().backward();
                return (output.detach(), model.parameters().Select(p => p.grad!.detach().clone()).ToArray());
            }
            finally
            {
                ChannelsLast.Enabled = before;
            }
        }

        var (nchw, nchwGradients) = Run(false);
        var (nhwc, nhwcGradients) = Run(true);
        // Float32 (ε = 1.2e-7) sums of hundreds to thousands of terms in another order, then through batch statistics in
        // training: differences up to about 1e-5 of the tensor's scale (measured 9e-6 for the first convolution's gradient).
        AssertClose(nhwc, nchw, "output");
        for (int i = 0; i < nchwGradients.Length; i++) AssertClose(nhwcGradients[i], nchwGradients[i], $"gradient {i}");
    }

    private static void AssertClose(Tensor actual, Tensor expected, string what)
    {
        double difference = (actual - expected).abs().max().item<float>();
        double scale = Math.Max(1, expected.abs().max().item<float>());
        Assert.True(difference <= 1e-4 * scale, $"{what}: max difference {difference} at scale {scale}");
    }

    [Fact]
    public void An_image_output_comes_back_with_nchw_strides_and_the_summary_names_the_switch()
    {
        using var scope = NewDisposeScope();
        var model = new ImageToImage(seed: 1);
        Tensor output = model.forward(randn(2, 3, 8, 8));
        Assert.Equal(new long[] { 2, 4, 4, 4 }, output.shape);
        Assert.True(output.is_contiguous());
        Assert.EndsWith("memory layout: channels-last (NHWC) from the input", model.Summary());
        Assert.EndsWith("memory layout: channels-last (NHWC) after conv1", new SmallCnn().Summary());
    }
}

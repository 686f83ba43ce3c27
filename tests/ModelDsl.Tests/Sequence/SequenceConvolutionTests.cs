using System;
using System.Linq;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Sequence;

/// <summary>Two convolutions over time (the second strided, no bias), max pooling, a dilated same convolution, average pooling.</summary>
[Model(20, 6)]
[Conv1d(8, 3, Init = Init.He, Padding = 1), ReLU, MaxPool1d(2)]
[Conv1d(5, 4, Stride = 2, Bias = false, Activation = Activation.Tanh, Init = Init.Xavier)]
public partial class TemporalConvNet { }

[Model(12, 4)]
[Conv1d(6, 4, Padding = Padding.Same, Dilation = 2), GELU, AvgPool1d(3, Stride = 2)]
[GlobalAvgPool1d, Dense(2)]
public partial class SameConvNet { }

public class SequenceConvolutionTests
{
    /// <summary>
    /// Every geometry of a small grid (kernel, stride, padding or same, dilation, bias): shape as T' = ⌊(T + 2p − d(k−1) − 1)/s⌋ + 1
    /// and values as TorchSharp's own channels-first nn.Conv1d with the same weights, within 1e-6.
    /// </summary>
    [Fact]
    public void The_sequence_convolution_equals_torchsharps_conv1d_on_the_transposed_input_for_every_geometry()
    {
        int checkedCases = 0;
        foreach (long kernel in new long[] { 1, 2, 3, 5 })
        foreach (long stride in new long[] { 1, 2, 3 })
        foreach (long padding in new long[] { -1, 0, 2 }) // −1: same
        foreach (long dilation in new long[] { 1, 2 })
        foreach (bool bias in new[] { true, false })
        {
            bool same = padding < 0;
            if (same && stride != 1) continue;
            using var scope = NewDisposeScope();
            const long steps = 11, features = 3, channels = 4;
            long expectedSteps = same ? steps : (steps + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;
            var layer = new SequenceConv1d(features, channels, kernel, stride, same ? 0 : padding, same, dilation, bias, new Generator(1));
            Conv1d reference = same
                ? nn.Conv1d(features, channels, kernel, TorchSharp.Padding.Same, stride, dilation, bias: bias)
                : nn.Conv1d(features, channels, kernel, stride, padding, dilation, bias: bias);
            reference.load_state_dict(layer.state_dict());
            Tensor x = randn(new long[] { 2, steps, features }, generator: new Generator(2));
            Tensor y = layer.forward(x);
            Assert.Equal(new[] { 2, expectedSteps, channels }, y.shape);
            Tensor expected = reference.forward(x.transpose(1, 2)).transpose(1, 2);
            Assert.True(y.allclose(expected, rtol: 0, atol: 1e-6), $"k {kernel} s {stride} p {padding} d {dilation} bias {bias}");
            checkedCases++;
        }
        // 4 kernels × 2 dilations × 2 biases × (3 strides × 2 paddings + same at stride 1) = 112 geometries, none skipped.
        Assert.Equal(112, checkedCases);
    }

    [Theory]
    [InlineData(true, 2, 2)]
    [InlineData(true, 3, 1)]
    [InlineData(false, 3, 2)]
    [InlineData(false, 4, 4)]
    public void Sequence_pooling_equals_torchsharps_pooling_on_the_transposed_input(bool maximum, long kernel, long stride)
    {
        using var scope = NewDisposeScope();
        var layer = new SequencePool1d(maximum, kernel, stride);
        Tensor x = randn(new long[] { 3, 10, 5 }, generator: new Generator(3));
        Tensor channelsFirst = x.transpose(1, 2);
        Tensor expected = (maximum ? nn.MaxPool1d(kernel, stride).forward(channelsFirst) : nn.AvgPool1d(kernel, stride).forward(channelsFirst)).transpose(1, 2);
        Tensor y = layer.forward(x);
        Assert.Equal(new long[] { 3, (10 - kernel) / stride + 1, 5 }, y.shape);
        Assert.True(y.allclose(expected, rtol: 0, atol: 1e-6));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_generated_model_equals_hand_written_torchsharp_with_the_same_weights(bool training)
    {
        using var scope = NewDisposeScope();
        var model = new TemporalConvNet(seed: 4);
        var p = model.state_dict();
        Conv1d first = nn.Conv1d(6, 8, 3, padding: 1), second = nn.Conv1d(8, 5, 4, stride: 2, bias: false);
        first.load_state_dict(new() { ["weight"] = p["conv1d1.weight"], ["bias"] = p["conv1d1.bias"] });
        second.load_state_dict(new() { ["weight"] = p["conv1d2.weight"] });
        model.train(training);
        Tensor x = randn(new long[] { 3, 20, 6 }, generator: new Generator(5));
        Tensor h = nn.functional.max_pool1d(nn.functional.relu(first.forward(x.transpose(1, 2))), 2);
        Tensor expected = tanh(second.forward(h)).transpose(1, 2);
        Tensor y = model.forward(x);
        Assert.Equal(new long[] { 3, 4, 5 }, y.shape); // 20 → 20 (pad 1) → 10 (pool) → ⌊(10 − 4)/2⌋ + 1 = 4
        Assert.True(y.allclose(expected, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Summary_counts_equal_torchsharps_and_he_takes_the_relu_gain()
    {
        using var scope = NewDisposeScope();
        foreach ((nn.Module model, string summary) in new (nn.Module, string)[] { (new TemporalConvNet(seed: 1), TemporalConvNet.SummaryText), (new SameConvNet(seed: 1), SameConvNet.SummaryText) })
        {
            string total = summary.Split('\n').Single(l => l.StartsWith("total", StringComparison.Ordinal));
            Assert.EndsWith(model.parameters().Sum(q => q.numel()).ToString("N0", System.Globalization.CultureInfo.InvariantCulture), total.TrimEnd());
        }
        Assert.Contains("[B, 10, 8]", TemporalConvNet.SummaryText);
        Assert.Contains("[B, 5, 6]", SameConvNet.SummaryText); // 12 → 12 (same) → ⌊(12 − 3)/2⌋ + 1 = 5
        // He normal with gain √2 (the ReLU after it) and fan_in = F·k = 18: std = √2/√18 = 1/3. 8·6·3 = 144 draws: the
        // sample std is within 0.06 of 1/3 with probability far above 3σ (σ ≈ 0.02).
        Tensor weight = new TemporalConvNet(seed: 2).state_dict()["conv1d1.weight"];
        Assert.InRange(weight.std().item<float>(), 1.0 / 3 - 0.06, 1.0 / 3 + 0.06);
        Assert.Equal(0, new TemporalConvNet(seed: 2).state_dict()["conv1d1.bias"].abs().sum().item<float>()); // a named init zeroes the bias
    }
}

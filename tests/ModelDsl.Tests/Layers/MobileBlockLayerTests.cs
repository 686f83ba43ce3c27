using System;
using System.Linq;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Layers;

/// <summary>
/// SqueezeExcitation and StochasticDepth on real tensors against their definitions (torchvision.ops): the gate from the
/// channel means through fc1, the activation, fc2 and the scale activation; drop path zeroing whole samples (or the
/// batch) in training with survivors scaled by 1/(1 − p), and the identity in eval.
/// </summary>
public sealed class MobileBlockLayerTests
{
    [Theory]
    [InlineData(SqueezeActivation.ReLU, SqueezeScale.Sigmoid)]
    [InlineData(SqueezeActivation.SiLU, SqueezeScale.Hardsigmoid)]
    public void Squeeze_excitation_scales_each_channel_by_its_gate(SqueezeActivation activation, SqueezeScale scale)
    {
        using var scope = NewDisposeScope();
        using var se = new SqueezeExcitation(6, 3, activation, scale, new Generator(3));
        Tensor x = randn(new long[] { 2, 6, 4, 5 }, generator: new Generator(4));
        Tensor means = x.mean(new long[] { 2, 3 });                                                       // [2, 6]
        Tensor hidden = means.matmul(se.fc1.weight.reshape(3, 6).t()) + se.fc1.bias!;
        hidden = activation == SqueezeActivation.ReLU ? hidden.clamp_min(0) : hidden * hidden.sigmoid();
        Tensor logits = hidden.matmul(se.fc2.weight.reshape(6, 3).t()) + se.fc2.bias!;
        Tensor gate = scale == SqueezeScale.Sigmoid ? logits.sigmoid() : (logits + 3).clamp(0, 6) / 6;
        Tensor expected = x * gate.reshape(2, 6, 1, 1);
        Assert.True(se.forward(x).allclose(expected, rtol: 1e-5, atol: 1e-6));
        Assert.Equal(new[] { "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias" }, se.state_dict().Keys);
    }

    [Fact]
    public void Squeeze_excitation_refuses_another_channel_count_naming_both_shapes()
    {
        using var se = new SqueezeExcitation(6, 3);
        var e = Assert.Throws<ShapeMismatchException>(() => se.forward(zeros(1, 5, 2, 2)));
        Assert.Contains("[B, 6, H, W]", e.Message);
        Assert.Contains("[1, 5, 2, 2]", e.Message);
    }

    [Fact]
    public void Drop_path_zeroes_whole_samples_and_scales_survivors_in_training_only()
    {
        using var scope = NewDisposeScope();
        using var drop = new StochasticDepth(0.25);
        Tensor x = ones(4000, 3, 2);
        manual_seed(11);
        Tensor y = drop.forward(x);
        float[] perSample = y.reshape(4000, 6).data<float>().ToArray();
        for (int i = 0; i < 4000; i++)
        {
            float[] row = perSample.Skip(i * 6).Take(6).ToArray();
            Assert.True(row.All(v => v == 0f) || row.All(v => Math.Abs(v - 1 / 0.75f) < 1e-6), $"sample {i} is partly dropped");
        }
        // Survivors ~ Binomial(4000, 0.75): 3000 ± 4.5σ, σ = √(4000·0.75·0.25) ≈ 27.4.
        int kept = Enumerable.Range(0, 4000).Count(i => perSample[i * 6] != 0);
        Assert.InRange(kept, 3000 - 123, 3000 + 123);
        drop.eval();
        Assert.True(drop.forward(x).equal(x).all().item<bool>());
    }

    [Fact]
    public void Batch_mode_drops_all_samples_together()
    {
        using var scope = NewDisposeScope();
        using var drop = new StochasticDepth(0.5, StochasticDepthMode.Batch);
        manual_seed(5);
        for (int trial = 0; trial < 20; trial++)
        {
            float[] y = drop.forward(ones(8, 3)).data<float>().ToArray();
            Assert.True(y.All(v => v == 0f) || y.All(v => v == 2f));
        }
    }
}

/// <summary>ChannelSplit is torch.chunk(x, parts, dim=1)[index]; nn.ChannelShuffle is ShuffleNet's view–transpose–flatten.</summary>
public sealed class ChannelSplitAndShuffleTests
{
    [Fact]
    public void Split_takes_the_chunk_and_shuffle_interleaves_the_groups()
    {
        using var scope = NewDisposeScope();
        Tensor x = arange(2 * 6 * 2 * 2, ScalarType.Float32).reshape(2, 6, 2, 2);
        using var split = new ChannelSplit(3, 1);
        Assert.True(split.forward(x).equal(x.chunk(3, 1)[1]).all().item<bool>());
        using var shuffle = nn.ChannelShuffle(2);
        Tensor expected = x.view(2, 2, 3, 2, 2).transpose(1, 2).reshape(2, 6, 2, 2);   // torchvision shufflenetv2.channel_shuffle
        Assert.True(shuffle.forward(x).equal(expected).all().item<bool>());
        Assert.Throws<ShapeMismatchException>(() => new ChannelSplit(4, 0).forward(x));
    }
}

/// <summary>ConvNeXt's pieces against their definitions: layer norm over each pixel's channels, nn.Linear at each pixel, γ ⊙ x.</summary>
public sealed class ConvNeXtLayerTests
{
    [Fact]
    public void Channel_layer_norm_dense_and_layer_scale_follow_their_formulas()
    {
        using var scope = NewDisposeScope();
        Tensor x = randn(new long[] { 2, 4, 3, 5 }, generator: new Generator(8));
        using var norm = new ChannelLayerNorm(4, 1e-6);
        using (no_grad()) { norm.weight!.copy_(tensor(new float[] { 1, 2, 3, 4 })); norm.bias!.copy_(tensor(new float[] { 0, 1, 0, -1 })); }
        Tensor mean = x.mean(new long[] { 1 }, keepdim: true), variance = x.var(1, unbiased: false, keepdim: true);
        Tensor expected = (x - mean) / (variance + 1e-6).sqrt() * norm.weight!.reshape(1, 4, 1, 1) + norm.bias!.reshape(1, 4, 1, 1);
        Assert.True(norm.forward(x).allclose(expected, rtol: 1e-5, atol: 1e-5));

        using var dense = new ChannelDense(4, 6, new Generator(2));
        Tensor pixels = einsum("oc,bchw->bohw", dense.weight, x) + dense.bias.reshape(1, 6, 1, 1);
        Assert.True(dense.forward(x).allclose(pixels, rtol: 1e-5, atol: 1e-5));
        Assert.Equal(new long[] { 6, 4 }, dense.weight.shape);

        using var scale = new LayerScale(new long[] { 4, 1, 1 }, 0.25);
        Assert.True(scale.forward(x).allclose(x * 0.25, rtol: 0, atol: 0));
    }
}

using System;
using System.Linq;
using ModelDsl.Tests.Models;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Convolution;

/// <summary>
/// 5.3.3, tested the way PyTorch's test_nn does: each norm's training output has mean 0 and variance 1 over exactly its
/// axes and not over a finer grouping, and equals TorchSharp's own module and the formula given the same γ, β.
/// Everything runs in float64 so 1e-5 measures the normalization, not float32 rounding: with eps = 1e-5 and input
/// variances ≥ 1, the normalized variance v/(v + eps) is within 1e-5 of 1.
/// </summary>
public class ImageNormalizationTests
{
    private const double Tolerance = 1e-5;
    private const long N = 4, C = 6, H = 5, W = 7;

    /// <summary>
    /// Noise plus offsets per sample, per channel, per (sample, channel) and per row, so every grouping that a norm does
    /// not normalize keeps a mean far from 0 (≥ 0.5 here), whichever norm is applied.
    /// </summary>
    private static Tensor StructuredInput(long batch = N)
    {
        var generator = new Generator(11);
        Tensor noise = randn(new[] { batch, C, H, W }, dtype: float64, generator: generator);
        Tensor perSample = arange(batch, dtype: float64).reshape(batch, 1, 1, 1) * 3;
        Tensor perChannel = arange(C, dtype: float64).reshape(1, C, 1, 1) * 2;
        Tensor perPair = (arange(batch * C, dtype: float64).reshape(batch, C, 1, 1) % 3) * 1.5;
        Tensor perRow = arange(H, dtype: float64).reshape(1, 1, H, 1) * 1.5;
        return noise * (1 + arange(C, dtype: float64).reshape(1, C, 1, 1)) + perSample + perChannel + perPair + perRow;
    }

    private static void AssertNormalizedOver(Tensor y, long[] dims)
    {
        Tensor mean = y.mean(dims, keepdim: true);
        Tensor variance = y.var(dims, unbiased: false, keepdim: true);
        Assert.True(mean.abs().max().item<double>() < Tolerance, $"mean over ({string.Join(", ", dims)}) is not 0: {mean.abs().max().item<double>()}");
        Assert.True((variance - 1).abs().max().item<double>() < Tolerance, $"variance over ({string.Join(", ", dims)}) is not 1");
    }

    private static void AssertNotNormalizedOver(Tensor y, long[] dims)
        => Assert.True(y.mean(dims, keepdim: true).abs().max().item<double>() > 0.1, $"unexpectedly normalized over ({string.Join(", ", dims)})");

    /// <summary>Random γ and β on the model's norm layer (so "equal given the same parameters" is not trivially 1 and 0).</summary>
    private static (Tensor Gamma, Tensor Beta) Randomize(nn.Module model)
    {
        var generator = new Generator(5);
        Tensor gamma = rand(new[] { C }, dtype: float64, generator: generator) + 0.5;
        Tensor beta = randn(new[] { C }, dtype: float64, generator: generator);
        using (no_grad())
        {
            foreach (var (name, parameter) in model.named_parameters())
                parameter.copy_(name.EndsWith("weight") ? gamma : beta);
        }
        return (gamma, beta);
    }

    private static Tensor Formula(Tensor x, long[] dims, Tensor gamma, Tensor beta, double eps = 1e-5)
        => (x - x.mean(dims, keepdim: true)) / (x.var(dims, unbiased: false, keepdim: true) + eps).sqrt() * gamma.reshape(1, C, 1, 1) + beta.reshape(1, C, 1, 1);

    [Fact]
    public void BatchNorm2d_normalizes_each_channel_over_batch_height_and_width()
    {
        using var scope = NewDisposeScope();
        var model = new BatchNormImage(seed: 1, dtype: ScalarType.Float64);
        Assert.IsType<BatchNormalization>(model.named_children().Single().module); // over (N, H, W) per channel: PyTorch's BatchNorm2d
        model.train();
        Tensor x = StructuredInput();
        Tensor y = model.forward(x);
        AssertNormalizedOver(y, new long[] { 0, 2, 3 });
        AssertNotNormalizedOver(y, new long[] { 2, 3 });  // per (sample, channel) means survive
        AssertNotNormalizedOver(y, new long[] { 1, 2, 3 }); // per sample too

        var (gamma, beta) = Randomize(model);
        using var reference = nn.BatchNorm2d(C, dtype: float64);
        using (no_grad()) { reference.weight!.copy_(gamma); reference.bias!.copy_(beta); }
        Tensor ours = model.forward(x);
        Assert.True(ours.allclose(reference.forward(x), rtol: 0, atol: 1e-12));
        Assert.True(ours.allclose(Formula(x, new long[] { 0, 2, 3 }, gamma, beta), rtol: 0, atol: 1e-10));
    }

    [Fact]
    public void InstanceNorm_normalizes_each_sample_and_channel_over_height_and_width()
    {
        using var scope = NewDisposeScope();
        var model = new InstanceNormImage(seed: 1, dtype: ScalarType.Float64);
        model.train();
        Tensor x = StructuredInput();
        Tensor y = model.forward(x);
        AssertNormalizedOver(y, new long[] { 2, 3 });
        AssertNotNormalizedOver(y, new long[] { 3 }); // per row: the row offsets survive

        // Affine parameters start at γ = 1, β = 0 (TorchSharp's NormBase resets them; GroupNorm's do not, see below).
        Assert.All(model.named_parameters(), p => Assert.Equal(p.name.EndsWith("weight") ? 1.0 : 0.0, p.parameter.mean().item<double>()));
        var (gamma, beta) = Randomize(model);
        using var reference = nn.InstanceNorm2d(C, affine: true, dtype: float64);
        using (no_grad()) { reference.weight!.copy_(gamma); reference.bias!.copy_(beta); }
        Tensor ours = model.forward(x);
        Assert.True(ours.allclose(reference.forward(x), rtol: 0, atol: 1e-12));
        Assert.True(ours.allclose(Formula(x, new long[] { 2, 3 }, gamma, beta), rtol: 0, atol: 1e-10));
        // Same in eval: without TrackRunningStats, instance norm always uses the instance's own statistics.
        model.eval();
        Assert.True(model.forward(x).allclose(ours, rtol: 0, atol: 1e-12));
    }

    [Fact]
    public void InstanceNorm_with_running_stats_uses_them_in_eval()
    {
        using var scope = NewDisposeScope();
        var model = new TrackedInstanceNormImage(seed: 1, dtype: ScalarType.Float64);
        model.train();
        Tensor x = StructuredInput();
        model.forward(x);
        // Momentum 1: the running mean is the last batch's per-channel mean of instance means, i.e. over (N, H, W).
        Tensor runningMean = model.named_buffers().Single(b => b.name.EndsWith("running_mean")).buffer;
        Assert.True(runningMean.allclose(x.mean(new long[] { 0, 2, 3 }), rtol: 0, atol: 1e-10));
        model.eval();
        Tensor y = model.forward(x);
        // Eval normalizes with the running averages, so per-instance means survive.
        AssertNotNormalizedOver(y, new long[] { 2, 3 });
    }

    [Fact]
    public void GroupNorm_normalizes_each_sample_over_its_channel_groups()
    {
        using var scope = NewDisposeScope();
        var model = new GroupNormImage(seed: 1, dtype: ScalarType.Float64);
        // GroupNormalization starts γ = 1, β = 0 (TorchSharp's GroupNorm leaves them torch.empty).
        Assert.All(model.named_parameters(), p => Assert.True(p.parameter.allclose(p.name.EndsWith("weight") ? ones(C, dtype: float64) : zeros(C, dtype: float64), rtol: 0, atol: 0), p.name));
        model.train();
        Tensor x = StructuredInput();
        Tensor y = model.forward(x);
        // 3 groups of 2 channels: view as [N, 3, 2, H, W] and normalize over (channels in group, H, W).
        AssertNormalizedOver(y.reshape(N, 3, 2, H, W), new long[] { 2, 3, 4 });
        AssertNotNormalizedOver(y, new long[] { 2, 3 }); // single channels within a group are not

        var (gamma, beta) = Randomize(model);
        using var reference = nn.GroupNorm(3, C, dtype: float64);
        using (no_grad()) { reference.weight!.copy_(gamma); reference.bias!.copy_(beta); }
        Tensor ours = model.forward(x);
        Assert.True(ours.allclose(reference.forward(x), rtol: 0, atol: 1e-12));
        Tensor grouped = x.reshape(N, 3, 2, H, W);
        long[] groupDims = { 2, 3, 4 };
        Tensor normalized = ((grouped - grouped.mean(groupDims, keepdim: true)) / (grouped.var(groupDims, unbiased: false, keepdim: true) + 1e-5).sqrt()).reshape(N, C, H, W);
        Assert.True(ours.allclose(normalized * gamma.reshape(1, C, 1, 1) + beta.reshape(1, C, 1, 1), rtol: 0, atol: 1e-10));
    }

    [Fact]
    public void LayerNorm_normalizes_each_sample_over_channels_height_and_width()
    {
        using var scope = NewDisposeScope();
        var model = new LayerNormImage(seed: 1, dtype: ScalarType.Float64);
        model.train();
        Tensor x = StructuredInput();
        Tensor y = model.forward(x);
        AssertNormalizedOver(y, new long[] { 1, 2, 3 });
        AssertNotNormalizedOver(y, new long[] { 2, 3 }); // per channel within a sample
        AssertNotNormalizedOver(y, new long[] { 0, 2, 3 }); // per channel across the batch

        // LayerNorm's affine parameters are per element [C, H, W]: give them random values and compare.
        var generator = new Generator(9);
        Tensor gamma = rand(new[] { C, H, W }, dtype: float64, generator: generator) + 0.5;
        Tensor beta = randn(new[] { C, H, W }, dtype: float64, generator: generator);
        using (no_grad())
        {
            foreach (var (name, p) in model.named_parameters()) p.copy_(name.EndsWith("weight") ? gamma : beta);
        }
        using var reference = nn.LayerNorm(new[] { C, H, W }, dtype: float64);
        using (no_grad()) { reference.weight!.copy_(gamma); reference.bias!.copy_(beta); }
        Tensor ours = model.forward(x);
        Assert.True(ours.allclose(reference.forward(x), rtol: 0, atol: 1e-12));
        long[] all = { 1, 2, 3 };
        Tensor expected = (x - x.mean(all, keepdim: true)) / (x.var(all, unbiased: false, keepdim: true) + 1e-5).sqrt() * gamma + beta;
        Assert.True(ours.allclose(expected, rtol: 0, atol: 1e-10));
    }

    [Fact]
    public void Group_and_layer_norm_ignore_the_rest_of_the_batch_but_batch_norm_does_not()
    {
        using var scope = NewDisposeScope();
        Tensor batch = StructuredInput();
        Tensor single = batch[0..1];

        nn.Module<Tensor, Tensor>[] independent = { new GroupNormImage(seed: 1, dtype: ScalarType.Float64), new LayerNormImage(seed: 1, dtype: ScalarType.Float64) };
        foreach (var model in independent)
        {
            model.train();
            // Identical up to float64 reduction order (the batch-4 kernel may sum in other chunks): 1e-12 is ~1e4 ulps.
            Assert.True(model.forward(single).allclose(model.forward(batch)[0..1], rtol: 0, atol: 1e-12), model.GetType().Name);
        }

        var batchNorm = new BatchNormImage(seed: 1, dtype: ScalarType.Float64);
        batchNorm.train();
        Tensor alone = batchNorm.forward(single);
        Tensor inBatch = batchNorm.forward(batch)[0..1];
        // The batch's statistics differ from one sample's, so the same sample comes out differently (why group norm exists).
        Assert.True((alone - inBatch).abs().max().item<double>() > 0.1);
    }
}

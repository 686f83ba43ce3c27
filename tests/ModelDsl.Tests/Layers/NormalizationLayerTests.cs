using System;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Layers;

public class NormalizationLayerTests
{
    [Theory]
    [InlineData(new long[] { 1, 8 })]
    [InlineData(new long[] { 1, 8, 1 })]
    [InlineData(new long[] { 1, 8, 1, 1 })]
    public void BatchNormalization_refuses_one_value_per_channel_in_training_and_leaves_its_statistics(long[] shape)
    {
        using var scope = NewDisposeScope();
        var norm = new BatchNormalization(8, name: "hidden.batchnorm");
        norm.train();
        var error = Assert.Throws<ShapeMismatchException>(() => norm.forward(randn(shape)));
        Assert.Contains("'hidden.batchnorm'", error.Message);
        Assert.Contains("[" + string.Join(", ", shape) + "]", error.Message);
        Assert.Contains("Expected more than 1 value per channel when training", error.Message);
        Assert.True(norm.RunningVar.eq(1).all().item<bool>());
        Assert.True(norm.RunningMean.eq(0).all().item<bool>());
        Assert.Equal(0, norm.NumBatchesTracked.item<long>());

        // Eval uses the running statistics, so one sample is fine there: (x − 0)/√(1 + ε)·1 + 0.
        norm.eval();
        Tensor x = randn(shape);
        Assert.True(norm.forward(x).allclose(x / Math.Sqrt(1 + 1e-5), rtol: 1e-6, atol: 1e-7));
    }

    [Theory]
    [InlineData(new long[] { 2, 8 })]       // 2 values per channel: the smallest batch PyTorch accepts
    [InlineData(new long[] { 16, 8 })]
    [InlineData(new long[] { 1, 8, 2 })]    // N·L = 2
    [InlineData(new long[] { 4, 8, 3, 3 })]
    public void BatchNormalization_matches_TorchSharps_BatchNorm_bit_for_bit(long[] shape)
    {
        using var scope = NewDisposeScope();
        var ours = new BatchNormalization(8, momentum: 0.3);
        nn.Module<Tensor, Tensor> theirs = shape.Length == 4 ? nn.BatchNorm2d(8, momentum: 0.3) : nn.BatchNorm1d(8, momentum: 0.3);
        using var generator = new Generator(5);
        for (int step = 0; step < 3; step++)
        {
            Tensor x = randn(shape, generator: generator) * 3 + 1;
            Assert.True(Same(ours.forward(x), theirs.forward(x)), $"train output differs at step {step}");
        }
        var state = theirs.state_dict();
        foreach (var (name, tensor) in ours.state_dict()) Assert.True(Same(tensor, state[name]), $"{name} differs");
        ours.eval();
        theirs.eval();
        Tensor probe = randn(shape, generator: generator);
        Assert.True(Same(ours.forward(probe), theirs.forward(probe)));
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.AsSpan().SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    [Fact]
    public void BatchNormalization_names_a_wrong_channel_count()
    {
        var norm = new BatchNormalization(8);
        var error = Assert.Throws<ShapeMismatchException>(() => norm.forward(randn(4, 6)));
        Assert.Equal("[4, 6]", error.Actual);
        Assert.Equal("BatchNormalization(8)", error.Layer);
    }

    [Theory]
    [InlineData(new long[] { 5, 6 })]
    [InlineData(new long[] { 5, 6, 4 })]
    [InlineData(new long[] { 5, 6, 3, 2 })]
    public void GroupNormalization_normalizes_each_group_of_each_sample(long[] shape)
    {
        using var scope = NewDisposeScope();
        var norm = new GroupNormalization(3, 6);
        Tensor x = randn(shape, generator: new Generator(3)) * 2 + 5;
        Tensor y = norm.forward(x);

        // By definition: per sample and group of 2 channels (and all positions), (x − mean)/√(biased var + ε).
        Tensor grouped = x.reshape(shape[0], 3, -1);
        Tensor mean = grouped.mean(new long[] { 2 }, keepdim: true);
        Tensor variance = grouped.var(new long[] { 2 }, unbiased: false, keepdim: true);
        Tensor expected = ((grouped - mean) / (variance + 1e-5).sqrt()).reshape(shape);
        Assert.True(y.allclose(expected, rtol: 1e-4, atol: 1e-5));
        Assert.True(norm.Weight!.eq(1).all().item<bool>() && norm.Bias!.eq(0).all().item<bool>());
    }
}

using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Sequence;

// MD0066 is the chapter's advice (LayerNorm is the sequence norm); here batch statistics are what is tested.
#pragma warning disable MD0066
[Model(7, 5)]
[LSTM(6, ReturnSequences = true), BatchNorm(Momentum = 0.2)]
[GlobalAvgPool1d, Dense(2)]
public partial class BatchNormedSequence { }
#pragma warning restore MD0066

public class SequenceBatchNormTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Batch_norm_on_a_sequence_is_batchnorm1d_per_feature_over_batch_and_time(bool training)
    {
        using var scope = NewDisposeScope();
        var layer = new BatchNormalization(5, momentum: 0.2, featuresLast: true);
        var reference = nn.BatchNorm1d(5, momentum: 0.2);
        Tensor x = randn(new long[] { 4, 7, 5 }, generator: new Generator(1)) * 3 + 1;
        for (int step = 0; step < 3; step++)
        {
            layer.train(training);
            reference.train(training);
            Tensor y = layer.forward(x + step);
            Tensor expected = reference.forward((x + step).transpose(1, 2)).transpose(1, 2);
            Assert.True(y.allclose(expected, rtol: 0, atol: 1e-5));
        }
        Assert.True(layer.RunningMean.allclose(reference.running_mean!, rtol: 0, atol: 1e-6));
        Assert.True(layer.RunningVar.allclose(reference.running_var!, rtol: 0, atol: 1e-6));
        if (training)
        {
            // In training each feature's output has mean 0 and (biased) variance 1 over all B·T values.
            Tensor y = layer.forward(x);
            Assert.True(y.mean(new long[] { 0, 1 }).abs().max().item<float>() < 1e-5);
            Assert.True((y.var(new long[] { 0, 1 }, unbiased: false) - 1).abs().max().item<float>() < 1e-3);
        }
    }

    [Fact]
    public void The_generated_sequence_model_normalizes_per_feature_and_counts_like_torchsharp()
    {
        using var scope = NewDisposeScope();
        var model = new BatchNormedSequence(seed: 2);
        Assert.Contains("batchnorm: BatchNorm", BatchNormedSequence.SummaryText);
        Assert.Contains("[B, 7, 6]", BatchNormedSequence.SummaryText);
        Assert.Equal(new long[] { 6 }, model.state_dict()["batchnorm.running_mean"].shape);
        Tensor y = model.forward(randn(3, 7, 5));
        Assert.Equal(new long[] { 3, 2 }, y.shape);
        Assert.True(model.state_dict()["batchnorm.running_mean"].abs().sum().item<float>() > 0, "training updates the running statistics");
    }

    [Fact]
    public void A_sequence_of_the_wrong_width_names_the_layer_and_shapes()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ShapeMismatchException>(() => new BatchNormalization(5, featuresLast: true).forward(randn(2, 7, 4)));
        Assert.Contains("[N, T, 5]", error.Message);
        Assert.Contains("[2, 7, 4]", error.Message);
    }
}

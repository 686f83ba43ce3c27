using System.Linq;
using ModelDsl.Tests.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Reliability;

public class BatchStatisticsTests
{
    [Fact]
    public void A_generated_BatchNorm_refuses_one_sample_in_training_and_keeps_its_running_statistics()
    {
        using var scope = NewDisposeScope();
        var model = new DenseBatchNorm(seed: 1);
        model.train();
        var error = Assert.Throws<ShapeMismatchException>(() => model.forward(randn(1, 8)));
        Assert.Contains("[1, 4]", error.Message); // the shape that reached the layer
        var norm = model.modules().OfType<BatchNormalization>().Single();
        Assert.True(norm.RunningVar.eq(1).all().item<bool>(), "running_var must stay untouched");
        Assert.Equal(0, norm.NumBatchesTracked.item<long>());

        model.eval();
        Assert.True(model.forward(randn(3, 8)).isfinite().all().item<bool>());
    }

    [Fact]
    public void A_generated_GroupNorm_runs_on_flat_features_in_training_and_eval()
    {
        using var scope = NewDisposeScope();
        var model = new DenseGroupNorm(seed: 1);
        Tensor x = randn(5, 4, generator: new Generator(2));
        foreach (bool training in new[] { true, false })
        {
            model.train(training);
            Tensor y = model.forward(x);
            // γ = 1, β = 0: each sample's 3 groups of 2 features have mean 0 and biased variance 1/(1 + ε/var) ≈ 1.
            Tensor groups = y.reshape(5, 3, 2);
            Assert.True(groups.mean(new long[] { 2 }).abs().max().item<float>() < 1e-5);
        }
    }
}

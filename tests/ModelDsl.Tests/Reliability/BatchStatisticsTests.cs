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
}

using System;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Reliability;

/// <summary>Neighbours of issue #15's examples that no other test names.</summary>
public class NeighbourReliabilityTests
{
    [Fact]
    public void An_image_batch_of_one_with_a_1x1_map_is_refused_in_training_and_leaves_the_statistics_as_they_were()
    {
        // One value per channel also arises from N·H·W = 1 with a 1×1 feature map, not only from a flat batch of one.
        using var scope = NewDisposeScope();
        var norm = new BatchNormalization(3);
        norm.train();
        Tensor before = norm.RunningVar.clone();
        Assert.Throws<ShapeMismatchException>(() => norm.forward(randn(1, 3, 1, 1)));
        Assert.True(norm.RunningVar.equal(before).all().item<bool>());
        Assert.Equal(0L, norm.NumBatchesTracked.item<long>());
        // Two values per channel (a 1×2 map) train.
        norm.forward(randn(1, 3, 1, 2));
        Assert.Equal(1L, norm.NumBatchesTracked.item<long>());
    }
}

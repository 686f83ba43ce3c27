using System;
using ModelDsl.Training;
using Xunit;

namespace ModelDsl.Tests.Training;

public class FinalizerCollectionTests
{
    [Fact]
    public void Collects_generation_0_on_every_nth_step()
    {
        var collection = new FinalizerCollection(everySteps: 3);
        collection.AfterStep();
        collection.AfterStep();
        int beforeThird = GC.CollectionCount(0);
        collection.AfterStep();
        // A forced collection always counts; spontaneous ones could only add to it.
        Assert.True(GC.CollectionCount(0) > beforeThird);
    }

    [Fact]
    public void A_negative_interval_is_rejected_and_zero_means_off()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new FinalizerCollection(-1));
        Assert.Contains("0 (off) or a positive number of steps", error.Message);
        var off = new FinalizerCollection(0);
        for (int i = 0; i < 10; i++) off.AfterStep(); // no division by zero, nothing forced
        Assert.Equal(FinalizerCollection.DefaultEverySteps, new TrainerOptions().CollectEverySteps);
    }
}

using System;
using Experiments;
using Xunit;

namespace ModelDsl.Tests.Experiments;

/// <summary>5.8 on the quick run: 500 MNIST images, 784 → 512 → 512 → 10, 10 epochs, test on 1,000.</summary>
public class DropoutExperimentTests
{
    private static readonly Lazy<DropoutResult> Result = new(() =>
    {
        ExperimentThreads.UseOne();
        return DropoutExperiment.Run(ExperimentSize.Quick);
    });

    [Fact]
    public void DropoutNarrowsTheGeneralizationGap()
    {
        var runs = Result.Value.Runs;
        Assert.True(runs[1].Gap < runs[0].Gap, $"inverted {runs[1].Gap} vs none {runs[0].Gap}");
        Assert.True(runs[2].Gap < runs[0].Gap, $"weight scaling {runs[2].Gap} vs none {runs[0].Gap}");
    }

    [Fact]
    public void InvertedAndWeightScalingReachTheSameTestAccuracy()
    {
        var r = Result.Value;
        // Within three standard errors of the difference of two accuracies on the same number of test images.
        double difference = Math.Abs(r.Runs[1].TestAccuracy - r.Runs[2].TestAccuracy);
        Assert.True(difference <= r.ModeTolerance, $"{difference} vs {r.ModeTolerance}");
    }
}

using System;
using System.Linq;
using Experiments;
using Xunit;

namespace ModelDsl.Tests.Experiments;

/// <summary>5.3 on the quick run: 2,000 synthetic samples, 3 epochs of SGD, batches of 64.</summary>
public class BatchNormExperimentTests
{
    private static readonly Lazy<BatchNormResult> Result = new(() =>
    {
        ExperimentThreads.UseOne();
        return BatchNormExperiment.Run(ExperimentSize.Quick);
    });

    [Fact]
    public void BatchNormTrainsAtARateWherePlainSgdFails()
    {
        var curves = Result.Value.Curves;
        LearningCurve plainLow = curves[0], plainHigh = curves[1], batchNorm = curves[2];
        // The task is learnable by the plain net at a small rate…
        Assert.True(plainLow.FinalAccuracy > 0.7, $"plain at lr {plainLow.LearningRate}: {plainLow.FinalAccuracy}");
        // …but at lr 1 it diverges (NaN) or stalls at or above the chance loss ln 4 ≈ 1.39 (NaN fails "< 1").
        Assert.False(plainHigh.TrainLoss[^1] < 1.0, $"plain at lr {plainHigh.LearningRate}: loss {plainHigh.TrainLoss[^1]}");
        Assert.True(plainHigh.FinalAccuracy < 0.4);
        // The same net with batch norm learns at lr 1 (its loss falls well below ln 4, accuracy ≫ chance).
        Assert.True(batchNorm.TrainLoss[^1] < 0.6 && batchNorm.TrainLoss.All(double.IsFinite), string.Join(", ", batchNorm.TrainLoss));
        Assert.True(batchNorm.FinalAccuracy > 0.7, $"batch norm: {batchNorm.FinalAccuracy}");
    }

    [Fact]
    public void EvalWithRunningAveragesMatchesLargeBatchStatisticsNotTinyBatches()
    {
        BatchNormResult r = Result.Value;
        // Running averages estimate the population statistics that a 2,000-sample batch also estimates: the
        // accuracies differ by at most a few test samples (2% = 40 samples). Batches of 4 give noisy statistics.
        Assert.InRange(Math.Abs(r.RunningStatsAccuracy - r.BatchStatsAccuracy), 0, 0.02);
        Assert.True(r.SmallBatchStatsAccuracy < r.RunningStatsAccuracy - 0.1, $"{r.SmallBatchStatsAccuracy} vs {r.RunningStatsAccuracy}");
    }
}

using System;
using System.Linq;
using Experiments;
using Xunit;

namespace ModelDsl.Tests.Experiments;

/// <summary>5.6 on the quick run: 200 MNIST images, 50 epochs, test on 1,000, a 1 × 2 RandAugment grid.</summary>
public class AugmentationExperimentTests
{
    private static readonly Lazy<AugmentationResult> Result = new(() =>
    {
        ExperimentThreads.UseOne();
        return AugmentationExperiment.Run(ExperimentSize.Quick);
    });

    [Fact]
    public void DigitAugmentationRaisesTestAccuracy()
    {
        var r = Result.Value;
        // Three standard errors of the difference of two accuracies p ≈ 0.8 on n independent test images: the gain is
        // larger than test-set sampling noise (measured ≈ 10 points against a bound of ≈ 5.5).
        double p = (r.PlainTestAccuracy + r.DigitsTestAccuracy) / 2;
        double bound = 3 * Math.Sqrt(2 * p * (1 - p) / r.TestImages);
        Assert.True(r.DigitsTestAccuracy - r.PlainTestAccuracy > bound, $"{r.PlainTestAccuracy} → {r.DigitsTestAccuracy} (bound {bound})");
    }

    [Fact]
    public void TheSearchTriesTheGridAndItsBestBeatsNoAugmentation()
    {
        var r = Result.Value;
        Assert.Equal(2, r.Trials.Count);
        Assert.True(r.Trials[0].ValidationAccuracy >= r.Trials[1].ValidationAccuracy);
        Assert.True(r.Trials[0].ValidationAccuracy > r.PlainValidationAccuracy, $"{r.Trials[0]} vs {r.PlainValidationAccuracy}");
    }
}

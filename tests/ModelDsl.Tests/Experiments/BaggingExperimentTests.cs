using Experiments;
using Xunit;

namespace ModelDsl.Tests.Experiments;

/// <summary>5.7 on the quick run: v and c from 6 members, the law checked on 6 other members.</summary>
public class BaggingExperimentTests
{
    [Fact]
    public void EnsembleErrorFollowsTheVarianceLaw()
    {
        ExperimentThreads.UseOne();
        BaggingResult r = BaggingExperiment.Run(ExperimentSize.Quick);

        Assert.True(r.Covariance < r.Variance, $"c = {r.Covariance}, v = {r.Variance}");
        for (int i = 0; i < r.K.Length; i++)
        {
            // v and c come from only 6 members, the measurement from 6 others: the law must hold within three standard
            // errors of that difference (computed from the spread of the members' own errors).
            double tolerance = 3 * BaggingExperiment.DifferenceStdError(r, r.K[i]);
            Assert.InRange(r.Measured[i], r.Predicted[i] - tolerance, r.Predicted[i] + tolerance);
        }
        Assert.True(r.Measured[^1] < r.Measured[0], "the mean of all members beats one member");
    }
}

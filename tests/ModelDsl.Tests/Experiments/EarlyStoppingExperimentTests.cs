using System;
using System.Linq;
using Experiments;
using Xunit;

namespace ModelDsl.Tests.Experiments;

/// <summary>5.5 on the quick run: 300 MNIST images, a 256-unit MLP, 30 epochs; the 2-D weight path over 1,000 steps.</summary>
public class EarlyStoppingExperimentTests
{
    private static readonly Lazy<EarlyStoppingResult> Result = new(() =>
    {
        ExperimentThreads.UseOne();
        return EarlyStoppingExperiment.Run(ExperimentSize.Quick);
    });

    [Fact]
    public void ValidationLossTurnsUpAndEarlyStoppingKeepsTheBestEpoch()
    {
        var o = Result.Value.Overfitting;
        int best = Array.IndexOf(o.ValidationLoss, o.ValidationLoss.Min()) + 1;
        // Overfitting: the validation minimum is well before the end, and training loss keeps falling after it.
        Assert.True(best < o.TrainLoss.Length - o.Patience, $"best epoch {best} of {o.TrainLoss.Length}");
        Assert.True(o.ValidationLoss[^1] > o.ValidationLoss[best - 1], "validation loss did not turn up");
        Assert.True(o.TrainLoss[^1] < o.TrainLoss[best - 1], "training loss stopped falling");
        // Same seed, same trajectory: EarlyStopping's best is the curve's minimum, and it fired `patience` epochs later.
        Assert.Equal(best, o.BestEpoch);
        Assert.Equal(best + o.Patience, o.StoppedEpoch);
        // The restored weights generalize better in loss than the overfitted end (accuracy moves less: see the docs).
        Assert.True(o.StoppedTestLoss < o.EndTestLoss, $"{o.StoppedTestLoss} vs {o.EndTestLoss}");
    }

    [Fact]
    public void GradientDescentFollowsTheRidgePath()
    {
        var p = Result.Value.Path;
        for (int k = 0; k < p.Steps.Length; k++)
        {
            // Per eigendirection h, GD gives 1 − (1 − ηh)^t ≈ 1 − e^(−s) (s = ηht) and ridge h/(h + λ); they agree at
            // λ·ηt = s/(eˢ − 1), which is 1 for s ≪ 1 and falls below 1 as the direction converges. So λ*·ηt ≤ 1
            // (+ the grid's 2.3% step), near 1 early; the two paths stay within 10% of ‖w_LS‖ of each other.
            double c = p.BestLambda[k] * p.LearningRate * p.Steps[k];
            Assert.True(c <= 1.05, $"t = {p.Steps[k]}: λ*ηt = {c}");
            if (p.Steps[k] <= 100) Assert.True(c >= 0.5, $"t = {p.Steps[k]}: λ*ηt = {c}");
            Assert.True(p.RelativeDistance[k] < 0.1, $"t = {p.Steps[k]}: {p.RelativeDistance[k]}");
        }
    }
}

using System;
using System.Linq;
using Experiments;
using Xunit;

namespace ModelDsl.Tests.Experiments;

/// <summary>5.4 on the quick run: L1 zeroes the irrelevant weights, L2 shrinks them; a group's λ acts on that group only.</summary>
public class WeightDecayExperimentTests
{
    private static readonly Lazy<WeightDecayResult> Result = new(() =>
    {
        ExperimentThreads.UseOne();
        return WeightDecayExperiment.Run(ExperimentSize.Quick);
    });

    [Fact]
    public void L1ZeroesTheNullFeaturesAndL2DoesNot()
    {
        var s = Result.Value.Sparse;
        // A null feature's data gradient stays below λ1 = 0.05, so (sub)gradient descent keeps its weight within
        // lr·(λ1 + |g|) < 2·0.005·0.05 = 5·10⁻⁴ of 0: every one of them is below 10⁻³.
        Assert.Equal(1.0, s.L1NullSmallFraction);
        // L2 has no threshold: a null weight is its least-squares estimate (std ≥ 0.1/√200 ≈ 0.007, more with the
        // residual the shrunk relevant weights leave), scaled by ≈ 1/(1 + λ2/2). P(|w| < 10⁻³) ≤ 0.11 per feature, so
        // far fewer than half fall under the threshold (measured: none).
        Assert.True(s.L2NullSmallFraction < 0.5, $"{s.L2NullSmallFraction}");
        // The relevant weights survive L1, shifted towards 0 by about λ1/2 (the MSE gradient is 2(w − w*)).
        for (int i = 0; i < WeightDecayExperiment.Relevant; i++)
            Assert.True(Math.Abs(s.L1Weights[i] - s.TrueWeights[i]) < 0.1, $"w{i}: {s.L1Weights[i]} vs {s.TrueWeights[i]}");
    }

    [Fact]
    public void AGroupsPenaltyActsOnThatGroupOnly()
    {
        var r = Result.Value;
        // The penalty's gradient outside the decayed group is exactly 0: nothing else is in Penalty().
        Assert.Equal(0.0, r.PenaltyGradientOutsideGroup);
        var control = r.Groups[0];
        var hidden = r.Groups[1];
        var output = r.Groups[2];
        // Each decayed group ends with a smaller norm than without decay (the other group may grow to compensate).
        Assert.True(hidden.HiddenNorm < 0.8 * control.HiddenNorm, $"{hidden.HiddenNorm} vs {control.HiddenNorm}");
        Assert.True(output.OutputNorm < 0.8 * control.OutputNorm, $"{output.OutputNorm} vs {control.OutputNorm}");
    }
}

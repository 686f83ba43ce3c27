using Experiments;
using Xunit;

namespace ModelDsl.Tests.Experiments;

/// <summary>5.1.1 after ten SGD steps on the DSL models ConstantMlp, ZerosMlp and RandomMlp.</summary>
public class SymmetryExperimentTests
{
    [Fact]
    public void ConstantInitKeepsEveryHiddenLayerRankOne()
    {
        ExperimentThreads.UseOne();
        SymmetryResult result = SymmetryExperiment.Run(ExperimentSize.Quick);

        // The gradient is not zero (the weights move) but identical for every unit, so the rows stay equal: σ₂/σ₁ is
        // at float64 SVD round-off (~1e-16 measured); 1e-6 is far above round-off and far below the control's ≈ 0.8.
        Assert.True(result.Constant.MaxHiddenGradient > 0);
        foreach (double ratio in result.Constant.RankRatio) Assert.InRange(ratio, 0, 1e-6);
        foreach (double spread in result.Constant.RowSpread) Assert.Equal(0, spread);
        foreach (double ratio in result.Random.RankRatio) Assert.True(ratio > 0.1, $"random init σ₂/σ₁ = {ratio}");
    }

    [Fact]
    public void ZeroInitGivesExactlyZeroGradientsToEarlierLayers()
    {
        ExperimentThreads.UseOne();
        SymmetryResult result = SymmetryExperiment.Run(ExperimentSize.Quick);

        // Every path from a hidden weight to the loss crosses a zero weight, and tanh(0) = 0: exactly zero, not small.
        Assert.Equal(0, result.Zeros.MaxHiddenGradient);
        foreach (double spread in result.Zeros.RowSpread) Assert.Equal(0, spread);
        // Only the output bias learns: the loss still moves (towards the class frequencies).
        Assert.True(result.Zeros.LastLoss < result.Zeros.FirstLoss);
    }
}

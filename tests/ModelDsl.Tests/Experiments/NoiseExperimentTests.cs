using Experiments;
using Xunit;

namespace ModelDsl.Tests.Experiments;

/// <summary>5.9 on the quick run.</summary>
public class NoiseExperimentTests
{
    private static readonly System.Lazy<NoiseResult> Result = new(() =>
    {
        ExperimentThreads.UseOne();
        return NoiseExperiment.Run(ExperimentSize.Quick);
    });

    [Fact]
    public void InputNoiseTrainsTheRidgeSolution()
    {
        InputNoiseResult r = Result.Value.InputNoise;
        // σ² = 0.5 shrinks the weights by ≈ 1/(1 + σ²): least squares and ridge are ≈ 1.3 apart. Averaged SGD on the
        // noisy inputs lands within 10% of that gap from ridge (≈ 1% measured): it is ridge, not least squares.
        Assert.True(r.DistanceToRidge < 0.1 * r.LeastSquaresToRidge, $"{r.DistanceToRidge} vs {r.LeastSquaresToRidge}");
    }

    [Fact]
    public void WeightNoiseFindsAFlatterMinimum()
    {
        WeightNoiseResult r = Result.Value.WeightNoise;
        for (int i = 0; i < r.Radii.Length; i++)
            Assert.True(r.NoisyIncrease[i] < r.PlainIncrease[i], $"ρ = {r.Radii[i]}: {r.NoisyIncrease[i]} vs {r.PlainIncrease[i]}");
    }
}

using System;
using System.Linq;
using Experiments.Models;
using static TorchSharp.torch;

namespace Experiments;

/// <summary>Input noise against the ridge solution.</summary>
/// <param name="NoiseVariance">σ² of the input noise.</param>
/// <param name="TrueWeights">The generating weights.</param>
/// <param name="LeastSquares">Closed-form least squares (no penalty).</param>
/// <param name="Ridge">Closed-form ridge with penalty σ²‖w‖² on the mean squared error.</param>
/// <param name="NoiseTrained">Weights SGD learned with fresh input noise each step (mean of the last half of the iterates).</param>
/// <param name="DistanceToRidge">‖noise-trained − ridge‖.</param>
/// <param name="LeastSquaresToRidge">‖least squares − ridge‖: the scale of the effect.</param>
public sealed record InputNoiseResult(double NoiseVariance, double[] TrueWeights, double[] LeastSquares, double[] Ridge, double[] NoiseTrained, double DistanceToRidge, double LeastSquaresToRidge);

/// <summary>Weight noise against flatness.</summary>
/// <param name="TrainingNoiseStd">Std of the weight noise used in training.</param>
/// <param name="Radii">Std ρ of the random weight perturbations probed.</param>
/// <param name="PlainIncrease">Mean loss increase E[L(w + ε)] − L(w) of the model trained without noise, per ρ.</param>
/// <param name="NoisyIncrease">The same for the model trained with weight noise.</param>
/// <param name="PlainLoss">Training loss of the plain model.</param>
/// <param name="NoisyLoss">Training loss of the weight-noise model.</param>
public sealed record WeightNoiseResult(double TrainingNoiseStd, double[] Radii, double[] PlainIncrease, double[] NoisyIncrease, double PlainLoss, double NoisyLoss);

/// <summary>Both halves of 5.9.</summary>
/// <param name="InputNoise">Bishop's equivalence.</param>
/// <param name="WeightNoise">Flat minima.</param>
public sealed record NoiseResult(InputNoiseResult InputNoise, WeightNoiseResult WeightNoise);

/// <summary>
/// 5.9: (1) training linear regression on inputs with added N(0, σ²I) noise minimizes, in expectation,
/// MSE + σ²‖w‖² — ridge regression (Bishop 1995; for a linear model the equivalence is exact, not a small-σ
/// approximation). (2) Weight noise during training favours flat minima: the trained weights lose less when randomly
/// perturbed (Hochreiter &amp; Schmidhuber 1997; the chapter's 5.9).
/// </summary>
public static class NoiseExperiment
{
    private const long Seed = 5_9;

    /// <summary>Runs both halves (quick: fewer samples and steps).</summary>
    public static NoiseResult Run(ExperimentSize size) => new(InputNoise(size), WeightNoise(size));

    private static InputNoiseResult InputNoise(ExperimentSize size)
    {
        int n = size == ExperimentSize.Full ? 2000 : 500;
        int steps = size == ExperimentSize.Full ? 4000 : 800;
        const double variance = 0.5;
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)Seed);
        Tensor trueW = tensor(new[] { 1.0f, -2.0f, 0.5f, 3.0f, -1.0f }).unsqueeze(1);
        Tensor x = randn(n, NoiseExperimentSetup.Features, generator: generator);
        Tensor y = x.matmul(trueW) + 0.1 * randn(n, 1, generator: generator);

        // Closed forms on the mean squared error: least squares (XᵀX/n)⁻¹Xᵀy/n and ridge (XᵀX/n + σ²I)⁻¹Xᵀy/n.
        Tensor xd = x.to_type(ScalarType.Float64), yd = y.to_type(ScalarType.Float64);
        Tensor gram = xd.t().matmul(xd) / n, moment = xd.t().matmul(yd) / n;
        Tensor leastSquares = linalg.solve(gram, moment).squeeze(1);
        Tensor ridge = linalg.solve(gram + variance * eye(NoiseExperimentSetup.Features, dtype: ScalarType.Float64), moment).squeeze(1);

        using var model = new LinearRegressor(Seed);
        var optimizer = optim.SGD(model.parameters(), learningRate: 0.05);
        Tensor weight = model.parameters().First();
        Tensor sum = zeros(NoiseExperimentSetup.Features, dtype: ScalarType.Float64);
        int averaged = 0;
        for (int step = 0; step < steps; step++)
        {
            using var stepScope = NewDisposeScope();
            Tensor noisy = x + Math.Sqrt(variance) * randn(x.shape, generator: generator);
            optimizer.zero_grad();
            Tensor loss = nn.functional.mse_loss(model.forward(noisy), y);
            loss.backward();
            optimizer.step();
            // Polyak averaging of the second half: SGD with fresh noise jitters around the minimizer; the mean does not.
            if (step >= steps / 2)
            {
                using var noGrad = no_grad();
                sum.add_(weight.detach().squeeze(0).to_type(ScalarType.Float64));
                averaged++;
            }
        }
        Tensor trained = sum / averaged;
        return new InputNoiseResult(
            variance, Values(trueW.squeeze(1).to_type(ScalarType.Float64)), Values(leastSquares), Values(ridge), Values(trained),
            (trained - ridge).norm().item<double>(), (leastSquares - ridge).norm().item<double>());
    }

    private static WeightNoiseResult WeightNoise(ExperimentSize size)
    {
        int steps = size == ExperimentSize.Full ? 3000 : 600;
        int draws = size == ExperimentSize.Full ? 200 : 40;
        const double trainingStd = 0.05; // what WeightNoiseRegressor declares
        double[] radii = { 0.025, 0.05, 0.1, 0.2 };
        using var scope = NewDisposeScope();
        var (x, y) = SyntheticData.Sine(128, noise: 0.1, Seed);
        using var plain = new SmallRegressor(Seed);
        // The same architecture declaring Dense(…, WeightNoise = 0.05): fresh N(0, 0.05²) on every weight matrix per training step.
        using var noisy = new WeightNoiseRegressor(Seed);
        RegressionTraining.Train(plain, x, y, steps, learningRate: 0.01, Seed);
        RegressionTraining.Train(noisy, x, y, steps, learningRate: 0.01, Seed);
        return new WeightNoiseResult(
            trainingStd, radii,
            radii.Select(r => Sharpness(plain, x, y, r, draws)).ToArray(),
            radii.Select(r => Sharpness(noisy, x, y, r, draws)).ToArray(),
            RegressionTraining.Loss(plain, x, y), RegressionTraining.Loss(noisy, x, y));
    }

    /// <summary>E[L(w + ε)] − L(w) over <paramref name="draws"/> perturbations ε ~ N(0, ρ²) of every weight matrix.</summary>
    private static double Sharpness(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y, double radius, int draws)
    {
        double baseline = RegressionTraining.Loss(model, x, y);
        var weights = RegressionTraining.Weights(model);
        var generator = new Generator((ulong)(Seed + 7));
        double total = 0;
        for (int d = 0; d < draws; d++)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var noise = weights.Select(w => randn(w.shape, generator: generator) * radius).ToList();
            for (int i = 0; i < weights.Count; i++) weights[i].add_(noise[i]);
            total += RegressionTraining.Loss(model, x, y) - baseline;
            for (int i = 0; i < weights.Count; i++) weights[i].sub_(noise[i]);
        }
        return total / draws;
    }

    private static double[] Values(Tensor t) => t.to_type(ScalarType.Float64).data<double>().ToArray();
}

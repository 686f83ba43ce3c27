using System;
using System.Collections.Generic;
using System.Linq;
using Experiments.Models;
using ModelDsl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments;

/// <summary>The overfitting run and the early-stopped run on the same MNIST subset.</summary>
/// <param name="TrainImages">Training images.</param>
/// <param name="TestImages">Test images.</param>
/// <param name="TrainLoss">Mean training loss per epoch of the run trained to the end.</param>
/// <param name="ValidationLoss">Validation loss after each epoch of that run.</param>
/// <param name="ValidationAccuracy">Validation accuracy after each epoch of that run.</param>
/// <param name="Patience">EarlyStopping's patience (epochs).</param>
/// <param name="BestEpoch">1-based epoch with the lowest validation loss (what restore-best returns).</param>
/// <param name="StoppedEpoch">1-based epoch at which EarlyStopping stopped training.</param>
/// <param name="EndTestAccuracy">Test accuracy after all epochs.</param>
/// <param name="EndTestLoss">Test loss after all epochs.</param>
/// <param name="StoppedTestAccuracy">Test accuracy of the early-stopped model with the best weights restored.</param>
/// <param name="StoppedTestLoss">Its test loss.</param>
public sealed record OverfittingResult(int TrainImages, int TestImages, double[] TrainLoss, double[] ValidationLoss, double[] ValidationAccuracy, int Patience, int BestEpoch, int StoppedEpoch, double EndTestAccuracy, double EndTestLoss, double StoppedTestAccuracy, double StoppedTestLoss);

/// <summary>Gradient descent from 0 against the ridge path on a 2-D linear regression.</summary>
/// <param name="LearningRate">η.</param>
/// <param name="Eigenvalues">Eigenvalues of the Hessian XᵀX/n.</param>
/// <param name="GradientPath">w_t for t = 0 … steps, [t][2].</param>
/// <param name="RidgePath">w(λ) on a log grid of λ from large to small, [i][2].</param>
/// <param name="Steps">The steps t at which the nearest ridge point is reported.</param>
/// <param name="BestLambda">λ whose ridge solution is nearest w_t, per reported t.</param>
/// <param name="RelativeDistance">‖w_t − w(λ*)‖ / ‖w_LS‖ at that λ, per reported t.</param>
public sealed record WeightPathResult(double LearningRate, double[] Eigenvalues, double[][] GradientPath, double[][] RidgePath, int[] Steps, double[] BestLambda, double[] RelativeDistance);

/// <summary>Both halves of 5.5.</summary>
/// <param name="Overfitting">The MNIST curve and early stopping.</param>
/// <param name="Path">The early stopping / L2 correspondence.</param>
public sealed record EarlyStoppingResult(OverfittingResult Overfitting, WeightPathResult Path);

/// <summary>
/// 5.5: (1) a large net on a small MNIST subset overfits: training loss keeps falling while validation loss turns
/// up; EarlyStopping (patience, restore-best) stops near the turn and keeps the best weights. (2) On a linear model,
/// gradient descent from 0 stopped after t steps lands near the ridge solution with λ ≈ 1/(ηt) (5.5.2; Goodfellow et
/// al. 2016, §7.8: τ ≈ 1/(εα)).
/// </summary>
public static class EarlyStoppingExperiment
{
    private const long Seed = 5_5;

    /// <summary>Quick: 300 images, 256-unit net, 12 epochs; full: 1,000 images, 1,024-unit net, 40 epochs.</summary>
    public static EarlyStoppingResult Run(ExperimentSize size) => new(Overfitting(size), WeightPath(size));

    private static OverfittingResult Overfitting(ExperimentSize size)
    {
        bool full = size == ExperimentSize.Full;
        int trainImages = full ? 1000 : 300, testImages = full ? 10_000 : 1000, epochs = full ? 40 : 30, patience = full ? 5 : 3;
        using var data = MnistSubsets.Load(trainImages, validation: full ? 2000 : 500, testImages);
        var options = new TrainerOptions { Epochs = epochs, BatchSize = 50, Seed = Seed };

        // Trained to the end, no callback: the whole curve.
        using var endModel = full ? (nn.Module<Tensor, Tensor>)new LargeMnistMlp(Seed) : new MediumMnistMlp(Seed);
        var end = new Trainer(endModel, optim.Adam(endModel.parameters(), lr: 1e-3), options);
        var history = end.Fit(data.Train, data.Validation);
        var endTest = end.Evaluate(data.Test);

        // The same run (same seed, so the same trajectory) with EarlyStopping on val_loss, best weights restored.
        using var stoppedModel = full ? (nn.Module<Tensor, Tensor>)new LargeMnistMlp(Seed) : new MediumMnistMlp(Seed);
        var stopped = new Trainer(stoppedModel, optim.Adam(stoppedModel.parameters(), lr: 1e-3), options);
        using var earlyStopping = new EarlyStopping(monitor: "val_loss", patience: patience, restoreBest: true);
        stopped.Callbacks.Add(earlyStopping);
        stopped.Fit(data.Train, data.Validation);
        var stoppedTest = stopped.Evaluate(data.Test);

        return new OverfittingResult(
            trainImages, testImages, history.Values("loss"), history.Values("val_loss"), history.Values("val_accuracy"), patience,
            earlyStopping.BestCheck + 1, (earlyStopping.StoppedAtCheck ?? epochs - 1) + 1,
            endTest["accuracy"], endTest["loss"], stoppedTest["accuracy"], stoppedTest["loss"]);
    }

    private static WeightPathResult WeightPath(ExperimentSize size)
    {
        const int n = 400;
        const double eta = 0.1;
        int steps = size == ExperimentSize.Full ? 3000 : 1000;
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)Seed);
        // Inputs with variances 1 and 0.05 along the axes: the Hessian's eigenvalues differ 20×, so the path bends.
        Tensor x = randn(n, 2, generator: generator, dtype: ScalarType.Float64) * tensor(new[] { 1.0, Math.Sqrt(0.05) });
        Tensor y = x.matmul(tensor(new[] { 1.0, 2.0 }).unsqueeze(1)) + 0.3 * randn(n, 1, generator: generator, dtype: ScalarType.Float64);
        Tensor hessian = x.t().matmul(x) / n, moment = x.t().matmul(y) / n;
        double[] eigen = linalg.eigvalsh(hessian).data<double>().ToArray();

        // The DSL model, float64, started at 0; loss ½·mean (y − wᵀx)², whose gradient is H·w − XᵀY/n.
        using var model = new PathRegressor(Seed);
        model.to(ScalarType.Float64);
        Tensor weight = model.parameters().First();
        using (no_grad()) weight.zero_();
        var optimizer = optim.SGD(model.parameters(), learningRate: eta);
        var path = new List<double[]> { new[] { 0.0, 0.0 } };
        for (int t = 0; t < steps; t++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            Tensor loss = 0.5 * nn.functional.mse_loss(model.forward(x), y);
            loss.backward();
            optimizer.step();
            path.Add(weight.detach().flatten().data<double>().ToArray());
        }

        // Ridge path w(λ) = (H + λI)⁻¹ XᵀY/n on a log grid, 10⁻⁴ … 10².
        double[] lambdas = Enumerable.Range(0, 601).Select(i => Math.Pow(10, 2 - 6.0 * i / 600)).ToArray();
        double[][] ridge = lambdas.Select(l => linalg.solve(hessian + l * eye(2, dtype: ScalarType.Float64), moment).flatten().data<double>().ToArray()).ToArray();
        double lsNorm = linalg.solve(hessian, moment).norm().item<double>();

        int[] reported = new[] { 1, 3, 10, 30, 100, 300, 1000, 3000 }.Where(t => t <= steps).ToArray();
        var best = new double[reported.Length];
        var distance = new double[reported.Length];
        for (int k = 0; k < reported.Length; k++)
        {
            double[] w = path[reported[k]];
            int nearest = Enumerable.Range(0, lambdas.Length).MinBy(i => Distance(w, ridge[i]));
            best[k] = lambdas[nearest];
            distance[k] = Distance(w, ridge[nearest]) / lsNorm;
        }
        return new WeightPathResult(eta, eigen, path.ToArray(), ridge, reported, best, distance);
    }

    private static double Distance(double[] a, double[] b) => Math.Sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]));
}

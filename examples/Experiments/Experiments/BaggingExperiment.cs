using System;
using System.Collections.Generic;
using System.Linq;
using Experiments.Models;
using static TorchSharp.torch;

namespace Experiments;

/// <summary>The variance law measured against its prediction.</summary>
/// <param name="Variance">v: mean squared error of one member (estimation set).</param>
/// <param name="Covariance">c: mean product of two different members' errors (estimation set).</param>
/// <param name="VarianceStdError">Standard error of v: std of the members' mean squared errors over √members.</param>
/// <param name="CovarianceStdError">Standard error of c: std of the pairwise products over √(members/2), the number of disjoint pairs.</param>
/// <param name="K">Ensemble sizes 1…K.</param>
/// <param name="Predicted">v/k + (k−1)c/k for each k.</param>
/// <param name="Measured">Mean squared error of the mean of k members of the held-out set, averaged over random subsets.</param>
public sealed record BaggingResult(double Variance, double Covariance, double VarianceStdError, double CovarianceStdError, int[] K, double[] Predicted, double[] Measured);

/// <summary>
/// 5.7: the expected squared error of the mean of k members whose errors have variance v and covariance c is
/// v/k + (k−1)c/k: it falls with k and levels off at c. Members are the same DSL regressor with independent seeds (bagging: 5.7),
/// each trained on its own bootstrap sample of the same noisy sine data; errors are measured against the true function on a grid. v and c are
/// estimated from one set of members and the law is checked on a second, disjoint set: a prediction, not an identity.
/// </summary>
public static class BaggingExperiment
{
    private const long Seed = 5_7;

    /// <summary>Quick: 2 × 6 members, 300 steps; full: 2 × 20 members, 1,500 steps.</summary>
    public static BaggingResult Run(ExperimentSize size)
    {
        int members = size == ExperimentSize.Full ? 20 : 6;
        int steps = size == ExperimentSize.Full ? 1500 : 300;
        using var scope = NewDisposeScope();
        var (x, y) = SyntheticData.Sine(100, noise: 0.3, Seed);
        var (xGrid, yTrue) = SyntheticData.Sine(200, noise: 0, Seed);

        // errors[i] = f_i(x) − sin(x) on the grid, for 2·members independently seeded members.
        var errors = new List<Tensor>();
        for (int i = 0; i < 2 * members; i++)
        {
            using var memberScope = NewDisposeScope();
            // Bagging proper: each member sees its own bootstrap sample (n draws with replacement) and its own init seed.
            Tensor sample = randint(0, x.shape[0], x.shape[0], generator: new Generator((ulong)(Seed + 200 + i)));
            using var model = new SmallRegressor(Seed + 100 + i);
            RegressionTraining.Train(model, x.index_select(0, sample), y.index_select(0, sample), steps, learningRate: 0.01, Seed + i);
            using var noGrad = no_grad();
            errors.Add((model.forward(xGrid) - yTrue).squeeze(1).to_type(ScalarType.Float64).MoveToOuterDisposeScope());
        }
        var estimation = errors.Take(members).ToList();
        var heldOut = errors.Skip(members).ToList();

        double[] squares = estimation.Select(e => e.square().mean().item<double>()).ToArray();
        double[] products = (from i in Enumerable.Range(0, members)
                             from j in Enumerable.Range(0, members)
                             where i != j
                             select (estimation[i] * estimation[j]).mean().item<double>()).ToArray();
        double v = squares.Average(), c = products.Average();
        double vError = Std(squares) / Math.Sqrt(members), cError = Std(products) / Math.Sqrt(members / 2.0);

        var random = new Random((int)Seed);
        int[] ks = Enumerable.Range(1, members).ToArray();
        double[] predicted = ks.Select(k => v / k + (k - 1) * c / k).ToArray();
        double[] measured = ks.Select(k =>
        {
            // Average over 50 random k-subsets of the held-out members (one subset when k = members).
            int draws = k == members ? 1 : 50;
            return Enumerable.Range(0, draws).Average(_ =>
            {
                var subset = heldOut.OrderBy(_ => random.Next()).Take(k).ToList();
                using var s = NewDisposeScope();
                return stack(subset).mean(new long[] { 0 }).square().mean().item<double>();
            });
        }).ToArray();
        return new BaggingResult(v, c, vError, cError, ks, predicted, measured);
    }

    private static double Std(double[] values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Sum(x => (x - mean) * (x - mean)) / (values.Length - 1));
    }

    /// <summary>
    /// Standard error of the difference between the measured and the predicted error at k: the prediction's error
    /// (v/k and (k−1)c/k from the estimation set, treated as independent) and the same again for the held-out set the
    /// measurement uses (an equally large, independent set of members), hence the √2.
    /// </summary>
    public static double DifferenceStdError(BaggingResult r, int k) =>
        Math.Sqrt(2) * Math.Sqrt(Math.Pow(r.VarianceStdError / k, 2) + Math.Pow((k - 1.0) / k * r.CovarianceStdError, 2));
}

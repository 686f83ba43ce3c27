using System;
using System.Linq;
using ModelDsl.Tests.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Ensembles;

/// <summary>Bagging end to end: the training helper, and the chapter's variance law (5.7.2) measured on a real ensemble.</summary>
public class BaggingTests
{
    private static Tensor Truth(Tensor x) => (2 * x).sin();

    private static Ensemble<TinyRegressor> Members(long seed, int k)
        => new(Enumerable.Range(0, k).Select(i => new TinyRegressor(EnsembleSeeds.ForMember(seed, i))), new EnsembleAggregator(k, Aggregation.Mean));

    private static (Tensor X, Tensor Y) Data(long n, long seed)
    {
        using var g = new Generator((ulong)seed, CPU);
        Tensor x = rand(new[] { n, 1L }, generator: g) * 4 - 2;
        Tensor y = Truth(x) + 0.1 * randn(new[] { n, 1L }, generator: g);
        return (x, y);
    }

    [Fact]
    public void Ensemble_error_variance_follows_v_over_k_plus_k_minus_one_c_over_k()
    {
        using var scope = NewDisposeScope();
        const int k = 5;
        var (x, y) = Data(128, seed: 1);
        var ensemble = Members(seed: 21, k);
        double[] losses = BaggingTrainer.Train(ensemble.Members, x, y, (p, t) => nn.functional.mse_loss(p, t),
            m => optim.Adam(m.parameters(), 0.01), new BaggingOptions { Epochs = 60, BatchSize = 32, Seed = 5 });
        Assert.All(losses, l => Assert.InRange(l, 0, 0.2)); // fits sin(2x) (variance ≈ 0.5) far better than a constant

        // Errors against the noiseless truth on two independent sets of test points A and B.
        ensemble.eval();
        const long half = 4000;
        var (testX, _) = Data(2 * half, seed: 2);
        double[,] errors;
        using (no_grad())
        {
            Tensor e = ensemble.MemberOutputs(testX).squeeze(-1) - Truth(testX).squeeze(-1).unsqueeze(0); // [k, 2·half]
            errors = new double[k, 2 * half];
            float[] flat = e.data<float>().ToArray();
            for (int i = 0; i < k; i++) for (long j = 0; j < 2 * half; j++) errors[i, j] = flat[i * 2 * half + j];
        }

        // On A: v = mean member error variance, c = mean pairwise covariance, law = v/k + (k − 1)c/k.
        (double v, double c) = VarianceAndCovariance(errors, k, 0, half);
        double law = v / k + (k - 1) * c / k;
        // On B: the ensemble's (mean) error variance, measured directly.
        double[] ensembleB = Enumerable.Range(0, (int)half).Select(j => Enumerable.Range(0, k).Average(i => errors[i, half + j])).ToArray();
        double[] ensembleA = Enumerable.Range(0, (int)half).Select(j => Enumerable.Range(0, k).Average(i => errors[i, j])).ToArray();
        double measured = Variance(ensembleB);

        // Tolerance: on A the law equals the ensemble's own error variance exactly (it is an algebraic identity of sample
        // moments), so law − measured is the difference of two independent sample variances of the same distribution. A sample
        // variance of n iid values has variance ≈ (μ4 − σ⁴)/n; we estimate μ4 from the data (errors are not Gaussian) and
        // allow four standard deviations of the difference.
        double sd = Math.Sqrt(VarianceOfVariance(ensembleA) + VarianceOfVariance(ensembleB));
        Assert.InRange(measured, law - 4 * sd, law + 4 * sd);

        // Independent members help: the covariance is below the variance, so the ensemble beats the average member and sits
        // between v/k (uncorrelated errors) and v (identical members).
        Assert.True(c < v, $"c = {c} should be below v = {v}");
        Assert.InRange(measured, v / k, v);
    }

    [Fact]
    public void Parallel_training_on_the_full_data_equals_sequential_training()
    {
        using var scope = NewDisposeScope();
        var (x, y) = Data(64, seed: 3);
        var options = new BaggingOptions { Epochs = 3, BatchSize = 16, Seed = 9, Bootstrap = false };
        var sequential = Members(seed: 8, 3);
        var parallel = Members(seed: 8, 3);
        double[] a = BaggingTrainer.Train(sequential.Members, x, y, (p, t) => nn.functional.mse_loss(p, t), m => optim.SGD(m.parameters(), 0.05), options);
        double[] b = BaggingTrainer.Train(parallel.Members, x, y, (p, t) => nn.functional.mse_loss(p, t), m => optim.SGD(m.parameters(), 0.05), options with { Parallel = true });
        Assert.Equal(a, b);
        foreach (var (p, q) in sequential.parameters().Zip(parallel.parameters())) Assert.True(p.allclose(q, rtol: 0, atol: 0));
    }

    [Fact]
    public void Mismatched_data_is_rejected()
    {
        using var scope = NewDisposeScope();
        var ensemble = Members(1, 2);
        var error = Assert.Throws<ArgumentException>(() => BaggingTrainer.Train(ensemble.Members, randn(4, 1), randn(5, 1),
            (p, t) => nn.functional.mse_loss(p, t), m => optim.SGD(m.parameters(), 0.1), new BaggingOptions()));
        Assert.Contains("4 examples but targets 5", error.Message);
    }

    private static (double V, double C) VarianceAndCovariance(double[,] e, int k, long start, long count)
    {
        double[][] rows = Enumerable.Range(0, k).Select(i => Enumerable.Range(0, (int)count).Select(j => e[i, start + j]).ToArray()).ToArray();
        double v = rows.Average(Variance);
        double c = 0;
        int pairs = 0;
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
                if (i != j) { c += Covariance(rows[i], rows[j]); pairs++; }
        return (v, c / pairs);
    }

    private static double Variance(double[] a) => Covariance(a, a);

    private static double Covariance(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average();
        return a.Zip(b, (p, q) => (p - ma) * (q - mb)).Sum() / a.Length;
    }

    private static double VarianceOfVariance(double[] a)
    {
        double m = a.Average();
        double m2 = a.Average(v => (v - m) * (v - m));
        double m4 = a.Average(v => Math.Pow(v - m, 4));
        return (m4 - m2 * m2) / a.Length;
    }
}

using System;
using ModelDsl.Tests.Models;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Generated;

/// <summary>
/// Each init draws the distribution its formula names, tested as PyTorch's test_init.py does: a Kolmogorov–Smirnov
/// statistic against the target CDF, plus the standard deviation. With n = 120,000 weights the KS critical value at
/// α = 0.001 is 1.95/√n ≈ 0.0056 (a uniform and a normal of equal std differ by ≈ 0.03); the sample std has relative
/// standard error 1/√(2n) ≈ 0.002, so a 1% tolerance is 5 standard errors.
/// </summary>
public class InitDistributionTests
{
    private const double KsCritical = 0.0056;


    private static Tensor FirstWeight(nn.Module<Tensor, Tensor> model)
    {
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (name.EndsWith("weight", StringComparison.Ordinal)) return parameter;
        }
        throw new InvalidOperationException("no weight");
    }

    private static double NormalKs(Tensor w, double mean, double std)
    {
        using var scope = NewDisposeScope();
        Tensor sorted = w.detach().flatten().to_type(ScalarType.Float64).sort().Values;
        long n = sorted.numel();
        Tensor cdf = 0.5 * (1 + special.erf((sorted - mean) / (std * Math.Sqrt(2))));
        return Ks(cdf, n);
    }

    private static double UniformKs(Tensor w, double low, double high)
    {
        using var scope = NewDisposeScope();
        Tensor sorted = w.detach().flatten().to_type(ScalarType.Float64).sort().Values;
        Tensor cdf = ((sorted - low) / (high - low)).clamp(0, 1);
        return Ks(cdf, sorted.numel());
    }

    private static double Ks(Tensor cdf, long n)
    {
        Tensor i = arange(n, dtype: ScalarType.Float64);
        double below = (cdf - i / n).max().item<double>();
        double above = ((i + 1) / n - cdf).max().item<double>();
        return Math.Max(below, above);
    }

    private static void AssertNormal(nn.Module<Tensor, Tensor> model, double mean, double std)
    {
        Tensor w = FirstWeight(model);
        Assert.InRange(w.std().item<float>(), std * 0.99, std * 1.01);
        Assert.InRange(NormalKs(w, mean, std), 0, KsCritical);
    }

    private static void AssertUniform(nn.Module<Tensor, Tensor> model, double low, double high)
    {
        Tensor w = FirstWeight(model);
        Assert.InRange(UniformKs(w, low, high), 0, KsCritical);
        Assert.True(w.min().item<float>() >= low && w.max().item<float>() <= high);
    }

    [Fact] public void He_normal_has_std_sqrt_2_over_fan_in() => AssertNormal(new HeNet(seed: 1), 0, Math.Sqrt(2.0 / 400));

    [Fact] public void He_fan_out_with_leaky_relu_uses_gain_sqrt_2_over_1_plus_a_squared()
        => AssertNormal(new HeFanOutLeakyNet(seed: 2), 0, Math.Sqrt(2.0 / (1 + 0.2 * 0.2)) / Math.Sqrt(300));

    [Fact] public void He_uniform_bound_is_sqrt3_times_std()
    {
        double bound = Math.Sqrt(3) * Math.Sqrt(2.0 / 400);
        AssertUniform(new HeUniformNet(seed: 3), -bound, bound);
    }

    [Fact] public void Xavier_is_normal_with_std_sqrt_2_over_fan_sum() => AssertNormal(new XavierNet(seed: 4), 0, Math.Sqrt(2.0 / (400 + 300)));

    [Fact] public void Xavier_normal_is_not_uniform()
    {
        // The TorchSharp trap: nn.init.xavier_normal_ draws uniform numbers. Ours must fail a uniform KS test.
        double std = Math.Sqrt(2.0 / 700), bound = Math.Sqrt(3) * std;
        Assert.True(UniformKs(FirstWeight(new XavierNet(seed: 4)), -bound, bound) > 10 * KsCritical);
    }

    [Fact] public void Xavier_uniform_bound_is_gain_sqrt_6_over_fan_sum()
    {
        double bound = 2.0 * Math.Sqrt(6.0 / 700);
        AssertUniform(new XavierUniformNet(seed: 5), -bound, bound);
    }

    [Fact] public void LeCun_has_variance_1_over_fan_in() => AssertNormal(new LeCunNet(seed: 6), 0, Math.Sqrt(1.0 / 400));

    [Fact] public void Normal_uses_std_not_variance() => AssertNormal(new NormalNet(seed: 7), 0.5, 0.01);

    [Fact] public void Uniform_uses_the_declared_bounds() => AssertUniform(new UniformNet(seed: 8), -0.2, 0.1);

    [Fact] public void Default_matches_torchsharp_linear_default()
    {
        double bound = 1 / Math.Sqrt(400);
        AssertUniform(new DefaultNet(seed: 9), -bound, bound);
    }

    [Fact]
    public void Orthogonal_rows_are_orthonormal_times_gain()
    {
        Tensor w = FirstWeight(new OrthogonalNet(seed: 10)).detach().to_type(ScalarType.Float64);
        Tensor product = w.matmul(w.t());
        Assert.True(product.allclose(eye(32, dtype: ScalarType.Float64) * 2.25, rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void Constant_weights_and_biases_are_exact()
    {
        var model = new ConstantNet(seed: 11);
        foreach (var (name, p) in model.named_parameters())
        {
            float expected = name.EndsWith("weight", StringComparison.Ordinal) ? 0.25f : -1f;
            Assert.All(p.data<float>().ToArray(), v => Assert.Equal(expected, v));
        }
    }

    [Fact]
    public void Named_inits_zero_the_bias()
    {
        foreach (var (name, p) in new HeNet(seed: 12).named_parameters())
        {
            if (name.EndsWith("bias", StringComparison.Ordinal)) Assert.Equal(0f, p.abs().max().item<float>());
        }
    }
}

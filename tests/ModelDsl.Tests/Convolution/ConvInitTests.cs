using System;
using System.Linq;
using ModelDsl.Tests.Models;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Convolution;

/// <summary>5.1 for convolutions: He's fan_in counts the kernel area, fan_in = C_in·k·k = 16·3·3 = 144.</summary>
public class ConvInitTests
{
    private const double Std = 0.11785113019775792; // √(2/144)
    private const long N = 64 * 16 * 3 * 3;         // 9,216 weights

    // The sample standard deviation of n normal draws has standard error σ/√(2n); 4 standard errors
    // (relative 4/√18,432 ≈ 2.9 %) fail a correct init with probability ≈ 6e-5. The sample mean's standard error is σ/√n.
    private static readonly double StdTolerance = 4 * Std / Math.Sqrt(2.0 * N);
    private static readonly double MeanTolerance = 4 * Std / Math.Sqrt(N);

    [Theory]
    [InlineData(1L)]
    [InlineData(2L)]
    public void He_normal_conv_weights_have_std_sqrt_2_over_cin_k_k(long seed)
    {
        using var scope = NewDisposeScope();
        Tensor w = new HeConv(seed).named_parameters().Single(p => p.name == "conv.weight").parameter;
        Assert.Equal(new long[] { 64, 16, 3, 3 }, w.shape);
        Assert.InRange(w.std(unbiased: false).item<float>(), Std - StdTolerance, Std + StdTolerance);
        Assert.InRange(w.mean().item<float>(), -MeanTolerance, MeanTolerance);
        // Not a uniform distribution with the same std: a normal sample reaches past √3·σ (P ≈ 8 % per draw).
        Assert.True(w.abs().max().item<float>() > Math.Sqrt(3) * Std);
        // The fan TorchSharp computes for this tensor is the same 144 the generator used at compile time.
        Assert.Equal(144, Initializers.Fan(w, FanMode.FanIn));
    }

    [Fact]
    public void He_uniform_conv_weights_are_bounded_by_sqrt3_std()
    {
        using var scope = NewDisposeScope();
        Tensor w = new HeUniformConv(seed: 5).named_parameters().Single(p => p.name == "conv.weight").parameter;
        double bound = Math.Sqrt(3) * Std;
        Assert.True(w.abs().max().item<float>() <= bound + 1e-6);
        Assert.InRange(w.std(unbiased: false).item<float>(), Std - StdTolerance, Std + StdTolerance);
    }

    [Fact]
    public void Summary_shows_the_kernel_area_fan()
        => Assert.Contains("He normal, std √2/√144 = 0.1179", new HeConv(seed: 1).Summary());
}

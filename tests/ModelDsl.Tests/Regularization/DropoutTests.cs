using System;
using ModelDsl.Tests.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Regularization;

/// <summary>
/// Modelled on PyTorch's test/nn/test_dropout.py: a large tensor of ones, means checked against the binomial
/// expectation. With n = 200,000 units and keep p, the kept count is Binomial(n, p): the mean of the mask has standard
/// deviation √(p(1−p)/n) (≈ 0.0009 at p = 0.8). Tolerances are 6 of those standard deviations (a false failure
/// about once in 10⁹ runs), scaled by 1/p for the inverted mode.
/// </summary>
public class DropoutTests
{
    private const int N = 200_000;

    private static double SixSigma(double keep) => 6 * Math.Sqrt(keep * (1 - keep) / N);

    [Theory]
    [InlineData(0.8)]
    [InlineData(0.5)]
    public void Inverted_dropout_keeps_p_scales_by_one_over_p_in_training_and_is_identity_in_eval(double keep)
    {
        using var scope = NewDisposeScope();
        using var dropout = nn.Dropout(1 - keep);
        Tensor ones = torch.ones(N);
        dropout.train();
        Tensor output = dropout.forward(ones);
        double kept = output.count_nonzero().ToDouble() / N;
        Assert.InRange(kept, keep - SixSigma(keep), keep + SixSigma(keep));
        // Kept units are scaled to exactly 1/p (float32 rounding), dropped ones are 0.
        Assert.Equal(1 / keep, output.max().ToDouble(), 1e-6);
        double trainMean = output.mean().ToDouble();
        Assert.InRange(trainMean, 1 - SixSigma(keep) / keep, 1 + SixSigma(keep) / keep);

        dropout.eval();
        Tensor eval = dropout.forward(ones);
        Assert.True(eval.eq(ones).all().item<bool>());
        // Same expected output in both modes: E[train] = 1 = eval.
        Assert.InRange(trainMean - eval.mean().ToDouble(), -SixSigma(keep) / keep, SixSigma(keep) / keep);
    }

    [Theory]
    [InlineData(0.8)]
    [InlineData(0.5)]
    public void Weight_scaling_dropout_keeps_p_without_scaling_in_training_and_scales_by_p_in_eval(double keep)
    {
        using var scope = NewDisposeScope();
        using var dropout = new WeightScalingDropout(keep);
        Tensor ones = torch.ones(N);
        dropout.train();
        Tensor output = dropout.forward(ones);
        double kept = output.count_nonzero().ToDouble() / N;
        Assert.InRange(kept, keep - SixSigma(keep), keep + SixSigma(keep));
        Assert.Equal(1.0, output.max().ToDouble());
        double trainMean = output.mean().ToDouble();
        Assert.InRange(trainMean, keep - SixSigma(keep), keep + SixSigma(keep));

        dropout.eval();
        Tensor eval = dropout.forward(ones);
        Assert.True(eval.eq(torch.full(N, keep)).all().item<bool>());
        // The weight-scaling rule: E[train] = p = eval.
        Assert.InRange(trainMean - eval.mean().ToDouble(), -SixSigma(keep), SixSigma(keep));
    }

    [Fact]
    public void Generated_models_apply_the_declared_dropout_mode()
    {
        using var scope = NewDisposeScope();
        const double keep = 0.8;
        Tensor ones = torch.ones(200, 1000); // N = 200,000 units again
        var inverted = new InvertedDropoutOnly();
        var weightScaling = new WeightScalingDropoutOnly();

        inverted.train();
        weightScaling.train();
        Assert.InRange(inverted.forward(ones).mean().ToDouble(), 1 - SixSigma(keep) / keep, 1 + SixSigma(keep) / keep);
        Assert.InRange(weightScaling.forward(ones).mean().ToDouble(), keep - SixSigma(keep), keep + SixSigma(keep));
        Assert.InRange(weightScaling.forward(ones).count_nonzero().ToDouble() / N, keep - SixSigma(keep), keep + SixSigma(keep));

        using (inverted.Evaluating()) Assert.True(inverted.forward(ones).eq(ones).all().item<bool>());
        using (weightScaling.Evaluating()) Assert.True(weightScaling.forward(ones).eq(torch.full(200, 1000, keep)).all().item<bool>());
    }

    [Fact]
    public void Gradient_flows_only_through_kept_units_scaled_like_the_output()
    {
        using var scope = NewDisposeScope();
        using var dropout = new WeightScalingDropout(0.5);
        Tensor input = torch.ones(N, requires_grad: true);
        Tensor output = dropout.forward(input);
        output.sum().backward();
        // No rescaling in training: d(out)/d(in) is the mask itself.
        Assert.True(input.grad!.eq(output.detach()).all().item<bool>());
    }
}

using System;
using System.Linq;
using ModelDsl.Tests.Models;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Regularization;

public class TrainEvalTests
{
    [Fact]
    public void Batch_norm_with_momentum_1_stores_the_batch_mean_and_unbiased_variance_only_in_training()
    {
        using var scope = NewDisposeScope();
        var model = new ModeModel(seed: 1);
        var batchNorm = model.modules().OfType<BatchNormalization>().Single();
        // Input to the BN layer = dense output; capture it by running the layers before it in eval (noise off).
        Tensor x = randn(32, 6, generator: new Generator(2));
        var dense = model.named_modules().Single(m => m.name == "dense").module as nn.Module<Tensor, Tensor>;
        Tensor h;
        using (no_grad()) h = dense!.forward(x);

        model.train();
        using (no_grad()) batchNorm.forward(h);
        // As PyTorch tests it: running_mean = batch mean, running_var = unbiased batch variance (momentum 1).
        Assert.True(allclose(batchNorm.RunningMean, h.mean(new long[] { 0 }), rtol: 1e-5, atol: 1e-6));
        Assert.True(allclose(batchNorm.RunningVar, h.var(0, unbiased: true), rtol: 1e-5, atol: 1e-6));

        // Eval normalizes with the running statistics and updates nothing.
        Tensor mean = batchNorm.RunningMean.clone(), variance = batchNorm.RunningVar.clone();
        using (model.Evaluating())
        {
            Tensor shifted = h + 5;
            Tensor output = batchNorm.forward(shifted);
            Assert.True(batchNorm.RunningMean.eq(mean).all().item<bool>());
            Assert.True(batchNorm.RunningVar.eq(variance).all().item<bool>());
            // With γ = 1, β = 0: output = (x − running_mean)/√(running_var + eps), so a shift by 5 moves the mean by 5/√var.
            Tensor expected = (shifted - mean) / (variance + 1e-5).sqrt();
            Assert.True(allclose(output, expected, rtol: 1e-4, atol: 1e-5));
        }
    }

    [Fact]
    public void Eval_is_deterministic_and_training_varies_with_dropout_and_noise()
    {
        using var scope = NewDisposeScope();
        var model = new ModeModel(seed: 3);
        Tensor x = randn(16, 6, generator: new Generator(4));
        using (model.Evaluating())
        {
            Assert.True(model.forward(x).eq(model.forward(x)).all().item<bool>());
        }
        using (model.Training())
        {
            Assert.False(model.forward(x).eq(model.forward(x)).all().item<bool>());
        }
    }

    [Fact]
    public void Train_and_eval_reach_every_layer_including_inside_named_blocks()
    {
        using var scope = NewDisposeScope();
        var model = new ModeModel(seed: 5);
        var all = model.modules().ToList();
        Assert.Contains(all, m => m is NoisyLinear);
        Assert.Contains(all, m => m is WeightScalingDropout);
        Assert.Contains(all, m => m is GaussianNoise);
        model.eval();
        Assert.All(all, m => Assert.False(m.training, m.GetName()));
        model.train();
        Assert.All(all, m => Assert.True(m.training, m.GetName()));
    }

    [Fact]
    public void Evaluating_scope_switches_to_eval_without_grad_and_restores_mode_and_grad_even_on_exceptions()
    {
        using var scope = NewDisposeScope();
        var model = new ModeModel(seed: 6);
        model.train();
        Assert.True(is_grad_enabled());

        Assert.Throws<InvalidOperationException>((Action)(() =>
        {
            using (model.Evaluating())
            {
                Assert.False(is_grad_enabled());
                Assert.All(model.modules().Prepend(model), m => Assert.False(m.training));
                Assert.False(model.forward(randn(2, 6)).requires_grad);
                throw new InvalidOperationException("inside the scope");
            }
        }));
        Assert.True(is_grad_enabled());
        Assert.All(model.modules().Prepend(model), m => Assert.True(m.training));

        // Training() restores a previous eval state, and per-module modes (a frozen block stays frozen).
        model.eval();
        model.Head.train();
        using (no_grad())
        {
            using (model.Training())
            {
                Assert.True(is_grad_enabled());
                Assert.All(model.modules().Prepend(model), m => Assert.True(m.training));
            }
            Assert.False(is_grad_enabled());
        }
        Assert.False(model.training);
        Assert.True(model.Head.training);
        Assert.False(model.modules().OfType<BatchNormalization>().Single().training);
    }
}

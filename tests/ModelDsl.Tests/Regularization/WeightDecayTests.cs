using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Tests.Models;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Regularization;

public class WeightDecayTests
{
    private static Dictionary<string, Parameter> Parameters(nn.Module model)
        => model.named_parameters().ToDictionary(p => p.name, p => p.parameter);

    private static double Sum(Tensor t) => t.sum().ToDouble();

    [Fact]
    public void Penalty_equals_the_formula_on_the_actual_weights()
    {
        using var scope = NewDisposeScope();
        var model = new GroupedDecayModel(seed: 3);
        var p = Parameters(model);
        // Perturb biases and norm parameters away from 0/1 so leaving them out is visible.
        using (no_grad()) foreach (var name in new[] { "dense1.bias", "dense2.bias", "batchnorm.weight", "batchnorm.bias" }) p[name].add_(0.7);

        Tensor w1 = p["dense1.weight"], w2 = p["dense2.weight"], b2 = p["dense2.bias"];
        // body: L2 0.1, L1 0.05 on dense1.weight; head: L2 0.2 on dense2.weight and dense2.bias (IncludeBias).
        double expected = 0.1 / 2 * Sum(w1 * w1) + 0.05 * Sum(w1.abs()) + 0.2 / 2 * (Sum(w2 * w2) + Sum(b2 * b2));

        Tensor penalty = model.Penalty();
        Assert.Equal(0, penalty.dim());
        Assert.Equal(ScalarType.Float32, penalty.dtype);
        // float32 sums of ~40 terms of order 1: relative rounding ~1e-6.
        Assert.Equal(expected, penalty.ToDouble(), 1e-5 * Math.Max(1, expected));
    }

    [Fact]
    public void Penalty_gradient_is_l2_w_plus_l1_sign_w_on_included_and_zero_on_excluded()
    {
        using var scope = NewDisposeScope();
        var model = new GroupedDecayModel(seed: 4);
        model.Penalty().backward();
        var p = Parameters(model);

        Tensor w1 = p["dense1.weight"].detach(), w2 = p["dense2.weight"].detach(), b2 = p["dense2.bias"].detach();
        Assert.True(allclose(p["dense1.weight"].grad!, 0.1 * w1 + 0.05 * w1.sign(), rtol: 1e-5, atol: 1e-7));
        Assert.True(allclose(p["dense2.weight"].grad!, 0.2 * w2, rtol: 1e-5, atol: 1e-7));
        Assert.True(allclose(p["dense2.bias"].grad!, 0.2 * b2, rtol: 1e-5, atol: 1e-7));
        foreach (var excluded in new[] { "dense1.bias", "batchnorm.weight", "batchnorm.bias" })
        {
            Tensor? grad = p[excluded].grad;
            Assert.True(grad is null || grad.abs().max().ToDouble() == 0, excluded + " must not be decayed");
        }
    }

    [Fact]
    public void Adding_penalty_gradients_after_backward_equals_backpropagating_loss_plus_penalty()
    {
        using var scope = NewDisposeScope();
        Tensor x = randn(16, 6, generator: new Generator(11));
        Tensor target = randn(16, 3, generator: new Generator(12));

        var viaAutograd = new GroupedDecayModel(seed: 9);
        Tensor loss = nn.functional.mse_loss(viaAutograd.forward(x), target);
        (loss + viaAutograd.Penalty()).backward();

        var inPlace = new GroupedDecayModel(seed: 9);
        nn.functional.mse_loss(inPlace.forward(x), target).backward();
        inPlace.AddPenaltyGradients();

        // Same function, same seed: the two gradients differ only by float32 summation order (~1e-7 relative).
        var expected = Parameters(viaAutograd);
        foreach (var (name, parameter) in Parameters(inPlace))
        {
            Assert.True(allclose(parameter.grad!, expected[name].grad!, rtol: 1e-5, atol: 1e-7), name);
        }
    }

    [Fact]
    public void Default_group_covers_layers_without_a_group_and_can_include_norms()
    {
        using var scope = NewDisposeScope();
        var model = new DefaultGroupModel(seed: 5);
        var p = Parameters(model);
        double expected = 0.3 / 2 * (Sum(p["dense.weight"].square()) + Sum(p["layernorm.weight"].square()) + Sum(p["layernorm.bias"].square()));
        Assert.Equal(expected, model.Penalty().ToDouble(), 1e-5 * expected);
    }

    [Fact]
    public void Optimizer_groups_carry_the_declared_decay_and_cover_every_parameter_once()
    {
        using var scope = NewDisposeScope();
        var model = new GroupedDecayModel(seed: 6);
        IReadOnlyList<ModelDsl.ParameterGroup> groups = model.ParameterGroups();
        Assert.Equal(new[] { "body", "head", Penalties.NoDecayGroup }, groups.Select(g => g.Name));
        Assert.Equal(new[] { 0.1, 0.2, 0.0 }, groups.Select(g => g.WeightDecay));
        var all = model.parameters().ToList();
        var grouped = groups.SelectMany(g => g.Parameters).ToList();
        Assert.Equal(all.Count, grouped.Count);
        Assert.All(all, p => Assert.Single(grouped, q => ReferenceEquals(p, q)));

        AdamW adamW = RegularizedOptimizer.AdamW(model, lr: 0.01);
        Assert.Equal(new double?[] { 0.1, 0.2, 0.0 }, adamW.ParamGroups.Cast<AdamW.ParamGroup>().Select(g => g.Options.weight_decay));
        SGD sgd = RegularizedOptimizer.SGD(model, lr: 0.1, momentum: 0.9);
        Assert.Equal(new double?[] { 0.1, 0.2, 0.0 }, sgd.ParamGroups.Cast<SGD.ParamGroup>().Select(g => g.Options.weight_decay));
        Adam adam = RegularizedOptimizer.Adam(model, lr: 0.01);
        Assert.Equal(new double?[] { 0.1, 0.2, 0.0 }, adam.ParamGroups.Cast<Adam.ParamGroup>().Select(g => g.Options.weight_decay));
    }

    [Fact]
    public void Sgd_decay_step_equals_the_penalty_gradient_step()
    {
        // Plain SGD's coupled weight_decay adds wd·w to the gradient: one step on a zero data loss must move the body
        // weights exactly like a step on the L2 part of Penalty() (λ2·w), and leave the no-decay group in place.
        using var scope = NewDisposeScope();
        var model = new GroupedDecayModel(seed: 7);
        var p = Parameters(model);
        Tensor before = p["dense1.weight"].detach().clone(), biasBefore = p["dense1.bias"].detach().clone();
        var sgd = RegularizedOptimizer.SGD(model, lr: 0.5);
        foreach (var parameter in model.parameters()) parameter.grad = zeros_like(parameter);
        sgd.step();
        Assert.True(allclose(p["dense1.weight"], before - 0.5 * 0.1 * before, rtol: 1e-6, atol: 1e-7));
        Assert.True(p["dense1.bias"].eq(biasBefore).all().item<bool>());
    }

    [Fact]
    public void L1_drives_irrelevant_weights_to_zero_while_L2_only_shrinks_them()
    {
        using var scope = NewDisposeScope();
        // y = X·w* + noise with 3 relevant features out of 20 (5.4.3). n = 200, noise σ = 0.5, so the unregularized
        // estimate of an irrelevant weight has std ≈ σ/√n ≈ 0.035: without L1 almost none falls below 1e-3 (P ≈ 2%).
        // The lasso keeps an irrelevant weight at 0 when its correlation with the residual, also ≈ N(0, 0.035²), stays
        // below λ1 = 0.1 (2.8 std): each escapes with P ≈ 0.5%, so "at least 15 of 17" would fail for about one data seed in 10⁴ (this one: 17 of 17, all |w| < 4e-4).
        var generator = new Generator(11);
        Tensor x = randn(200, 20, generator: generator);
        var trueW = zeros(20);
        trueW[0] = 2; trueW[1] = -1.5; trueW[2] = 1;
        Tensor y = (x.matmul(trueW) + 0.5 * randn(200, generator: generator)).unsqueeze(1);

        double[] l1 = Fit(new SparseL1Regression(seed: 1), x, y);
        double[] l2 = Fit(new SparseL2Regression(seed: 1), x, y);

        int l1Zeros = l1.Skip(3).Count(w => Math.Abs(w) < 1e-3);
        int l2Zeros = l2.Skip(3).Count(w => Math.Abs(w) < 1e-3);
        Assert.True(l1Zeros >= 15, $"L1 zeroed {l1Zeros} of 17 irrelevant weights: {string.Join(", ", l1.Skip(3).Select(w => w.ToString("G3")))}");
        Assert.True(l2Zeros <= 3, $"L2 zeroed {l2Zeros} of 17 irrelevant weights");
        // Both keep the relevant weights (L1 shrinks each by about λ1 / Var(x) = 0.1).
        Assert.All(l1.Take(3).Zip(new[] { 2.0, -1.5, 1.0 }), t => Assert.InRange(t.First, t.Second - 0.2, t.Second + 0.2));
        Assert.All(l2.Take(3).Zip(new[] { 2.0, -1.5, 1.0 }), t => Assert.InRange(t.First, t.Second - 0.2, t.Second + 0.2));

        // L2 shrinks: its weights are those of ridge regression (XᵀX/n + λ2·I)⁻¹Xᵀy/n, shorter than least squares.
        Tensor xtx = x.T.matmul(x) / 200, xty = x.T.matmul(y) / 200;
        Tensor ridge = linalg.solve(xtx + 0.05 * eye(20), xty).squeeze(1);
        Tensor ols = linalg.solve(xtx, xty).squeeze(1);
        Tensor fitted = tensor(l2);
        Assert.True((fitted - ridge).abs().max().ToDouble() < 1e-3, "L2 fit must be the ridge solution");
        Assert.True(ridge.norm().ToDouble() < ols.norm().ToDouble());
    }

    /// <summary>Full-batch gradient descent on (1/2)·MSE + Penalty(), the learning rate decayed so the L1 subgradient's oscillation around 0 (amplitude lr·λ1) ends below 1e-4.</summary>
    private static double[] Fit(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y)
    {
        var regularized = (IRegularizedModel)model;
        var sgd = optim.SGD(model.parameters(), 0.1);
        for (int step = 0; step < 1500; step++)
        {
            using var stepScope = NewDisposeScope();
            foreach (var group in sgd.ParamGroups) group.LearningRate = step < 1000 ? 0.1 : 0.002;
            sgd.zero_grad();
            Tensor loss = 0.5 * (model.forward(x) - y).square().mean() + regularized.Penalty();
            loss.backward();
            sgd.step();
        }
        return model.parameters().First().data<float>().Select(v => (double)v).ToArray();
    }
}

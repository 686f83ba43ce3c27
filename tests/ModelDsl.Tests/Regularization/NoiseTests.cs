using System;
using System.Linq;
using ModelDsl.Tests.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Regularization;

public class NoiseTests
{
    [Fact]
    public void Gaussian_noise_has_the_declared_std_in_training_and_is_absent_in_eval()
    {
        using var scope = NewDisposeScope();
        var model = new NoiseOnly(); // GaussianNoise(0.3) on [B, 1000]
        Tensor input = randn(200, 1000, generator: new Generator(1));
        model.train();
        Tensor noise = model.forward(input) - input;
        // n = 200,000 draws: the sample std has standard error σ/√(2n) ≈ 0.00047 and the mean σ/√n ≈ 0.00067;
        // 6 standard errors each (float32 subtraction error ~1e-7 is negligible).
        const double sigma = 0.3, n = 200_000;
        Assert.InRange(noise.std().ToDouble(), sigma - 6 * sigma / Math.Sqrt(2 * n), sigma + 6 * sigma / Math.Sqrt(2 * n));
        Assert.InRange(noise.mean().ToDouble(), -6 * sigma / Math.Sqrt(n), 6 * sigma / Math.Sqrt(n));

        using (model.Evaluating())
        {
            Assert.True(model.forward(input).eq(input).all().item<bool>());
        }
    }

    [Fact]
    public void Weight_noise_perturbs_each_training_pass_leaves_weights_bit_identical_and_sends_gradients_to_them()
    {
        using var scope = NewDisposeScope();
        var model = new WeightNoiseModel(seed: 2); // Dense(4, WeightNoise = 0.1) on [B, 3]
        var weight = model.named_parameters().Single(p => p.name == "dense.weight").parameter;
        var bias = model.named_parameters().Single(p => p.name == "dense.bias").parameter;
        Tensor before = weight.detach().clone();
        Tensor x = randn(16, 3, generator: new Generator(3));

        model.train();
        Tensor first = model.forward(x), second = model.forward(x);
        Assert.False(first.eq(second).all().item<bool>(), "each training pass draws new weight noise");
        Assert.True(weight.eq(before).all().item<bool>(), "stored weights are unchanged by a forward pass");

        // d/dW Σ x(W+ε)ᵀ = (Σ_batch x) per row, independent of ε: the gradient reaches the clean weight exactly.
        first.sum().backward();
        Tensor expected = x.sum(dim: 0).unsqueeze(0).expand(new long[] { 4, 3 });
        Assert.True(allclose(weight.grad!, expected, rtol: 1e-5, atol: 1e-6));
        Assert.True(weight.eq(before).all().item<bool>());

        // The training outputs differ from the clean ones by x·εᵀ with ε ~ N(0, 0.1²): not zero, not huge.
        using (model.Evaluating())
        {
            Tensor clean = model.forward(x);
            Assert.True(allclose(clean, nn.functional.linear(x, weight, bias), rtol: 1e-6, atol: 1e-6));
            Assert.True(clean.eq(model.forward(x)).all().item<bool>(), "eval is deterministic");
            double diffStd = (first.detach() - clean).std().ToDouble();
            // Var(x·ε) = σ²‖x‖² ≈ 0.01·3 → std ≈ 0.17 per output; allow a factor 3 either way for 64 samples.
            Assert.InRange(diffStd, 0.17 / 3, 0.17 * 3);
        }
    }

    [Fact]
    public void Input_noise_on_linear_regression_gives_the_ridge_solution()
    {
        using var scope = NewDisposeScope();
        // Bishop (1995), chapter 5.9.1: E_ε ‖y − (X + ε)w‖²/n = ‖y − Xw‖²/n + σ²‖w‖², so training on noisy inputs
        // minimizes the mean squared loss plus σ²‖w‖²: w_ridge = (XᵀX/n + σ²I)⁻¹ Xᵀy/n. With σ = 0.5 ridge shrinks
        // every weight by about 1/(1 + 0.25) = 0.8, far from least squares.
        const int n = 400;
        const double sigma = 0.5;
        var generator = new Generator(21);
        Tensor x = randn(n, 5, generator: generator);
        Tensor trueW = tensor(new float[] { 1, -2, 0.5f, 1.5f, -1 });
        Tensor y = (x.matmul(trueW) + 0.1 * randn(n, generator: generator)).unsqueeze(1);
        Tensor xtx = x.T.matmul(x) / n, xty = x.T.matmul(y) / n;
        Tensor ridge = linalg.solve(xtx + sigma * sigma * eye(5), xty).squeeze(1);
        Tensor ols = linalg.solve(xtx, xty).squeeze(1);

        manual_seed(5); // the noise layer draws from the global generator
        var model = new InputNoiseRegression(seed: 1);
        var weight = model.parameters().Single();
        var sgd = optim.SGD(model.parameters(), 0.05);
        model.train();
        Tensor average = zeros(5);
        const int steps = 600, averaged = 400;
        for (int step = 0; step < steps; step++)
        {
            using var stepScope = NewDisposeScope();
            sgd.zero_grad();
            Tensor loss = (model.forward(x) - y).square().mean();
            loss.backward();
            sgd.step();
            if (step >= steps - averaged) average.add_(weight.detach().squeeze(0) / averaged);
        }

        // Tolerance: ridge and least squares are ≈ 0.2·‖w‖ ≈ 0.6 apart. The loss curvature 2·(1 + σ²) with lr 0.05
        // contracts the error by 0.875 per step, so 200 steps converge before averaging; the averaged iterate's scatter
        // (full-batch gradient noise ∝ σ‖w‖/√n per step, shrunk by lr and by averaging 400 steps) is a few 1e-3
        // (measured 0.003). Requiring the fit within 5% of the ridge–OLS distance from ridge separates the two clearly.
        double distance = (ridge - ols).norm().ToDouble();
        double error = (average - ridge).norm().ToDouble();
        Assert.True(distance > 0.4, $"ridge and least squares differ by {distance}");
        Assert.True(error < 0.05 * distance, $"‖w − w_ridge‖ = {error}, ‖w_ridge − w_ols‖ = {distance}");
    }

    [Fact]
    public void Label_smoothing_matches_its_formula()
    {
        using var scope = NewDisposeScope();
        Tensor logits = randn(32, 10, generator: new Generator(4));
        Tensor labels = randint(0, 10, new long[] { 32 }, generator: new Generator(5));
        const double eps = 0.1;
        var loss = Losses.CrossEntropy(labelSmoothing: eps);
        // Target (1 − ε)·one-hot + ε/K: loss = (1 − ε)·CE + ε·mean_k(−log p_k).
        Tensor logp = logits.log_softmax(1);
        double ce = -logp.gather(1, labels.unsqueeze(1)).mean().ToDouble();
        double uniform = -logp.mean().ToDouble();
        Assert.Equal((1 - eps) * ce + eps * uniform, loss.forward(logits, labels).ToDouble(), 1e-5);
    }

    [Fact]
    public void Label_noise_flips_the_declared_fraction_to_other_classes_in_training_only()
    {
        using var scope = NewDisposeScope();
        const int n = 100_000;
        const double fraction = 0.3;
        Tensor labels = randint(0, 10, new long[] { n }, generator: new Generator(6));
        Tensor flipped = LabelNoise.Flip(labels, 10, fraction, new Generator(7));
        // Every flip moves to another class, so the changed fraction is Binomial(n, 0.3)/n: std √(0.21/n) ≈ 0.0014.
        double changed = flipped.ne(labels).sum().ToDouble() / n;
        Assert.InRange(changed, fraction - 6 * Math.Sqrt(fraction * (1 - fraction) / n), fraction + 6 * Math.Sqrt(fraction * (1 - fraction) / n));
        // New classes are uniform over the 9 others: each class receives ≈ 1/10 of the flips (tolerance 6σ of a count).
        Tensor newClasses = flipped.masked_select(flipped.ne(labels));
        Tensor counts = newClasses.bincount(null, 10).to(ScalarType.Float64);
        double expected = newClasses.shape[0] / 10.0;
        Assert.True((counts - expected).abs().max().ToDouble() < 6 * Math.Sqrt(expected));

        var loss = Losses.CrossEntropy(labelNoise: 0.5, generator: new Generator(8));
        Tensor logits = randn(64, 10, generator: new Generator(9));
        Tensor small = labels[..64];
        double clean = nn.functional.cross_entropy(logits, small).ToDouble();
        loss.eval();
        Assert.Equal(clean, loss.forward(logits, small).ToDouble(), 1e-6);
        loss.train();
        Assert.NotEqual(clean, loss.forward(logits, small).ToDouble());
        Assert.Throws<ShapeMismatchException>(() => loss.forward(logits, labels));
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Tests.Generated;
using ModelDsl.Tests.Models;
using ModelDsl.Tests.Training;
using ModelDsl.Training;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Numerics;

/// <summary>
/// bfloat16 autocast on the CPU (<see cref="Autocast"/>, <see cref="TrainerOptions.Autocast"/>): the scope's mechanics,
/// known answers with bounds from bfloat16's rounding, and a sweep over every generated model of this assembly.
/// </summary>
public sealed class AutocastTests(ITestOutputHelper output)
{
    // bfloat16 keeps 8 significant bits: rounding to nearest moves a value by at most 2⁻⁹ of its magnitude.
    private static readonly double HalfUlp = Math.Pow(2, -9);

    [Fact]
    public void A_scope_casts_convolutions_and_linear_layers_keeps_losses_float32_and_restores_the_state()
    {
        using var scope = NewDisposeScope();
        using var linear = nn.Linear(8, 4);
        using var conv = nn.Conv2d(3, 4, 3);
        Tensor x = randn(16, 8), image = randn(2, 3, 8, 8);
        Tensor y = randint(0, 4, new long[] { 16 });
        Assert.False(Autocast.IsEnabled);
        using (Autocast.Enable())
        {
            Assert.True(Autocast.IsEnabled);
            Tensor logits = linear.forward(x);
            Assert.Equal(ScalarType.BFloat16, logits.dtype);
            Assert.Equal(ScalarType.BFloat16, conv.forward(image).dtype);
            Assert.Equal(ScalarType.Float32, nn.functional.cross_entropy(logits, y).dtype);
            Assert.Equal(ScalarType.Float32, nn.functional.mse_loss(logits, zeros_like(logits)).dtype);
            using (Autocast.Enable()) Assert.True(Autocast.IsEnabled);
            Assert.True(Autocast.IsEnabled);   // the inner scope restored the outer one's state
            Assert.Equal(ScalarType.BFloat16, linear.forward(x).dtype);
        }
        Assert.False(Autocast.IsEnabled);
        Assert.Equal(ScalarType.Float32, linear.forward(x).dtype);
    }

    // Synchronous on purpose: a scope must end on the thread that entered it, and an await could resume elsewhere.
    [Fact]
    public void The_state_is_per_thread()
    {
        using (Autocast.Enable())
        {
            bool elsewhere = true;
            var thread = new System.Threading.Thread(() => elsewhere = Autocast.IsEnabled);
            thread.Start();
            thread.Join();
            Assert.False(elsewhere);
            Assert.True(Autocast.IsEnabled);
        }
    }

    [Fact]
    public void The_numerics_check_runs_in_float32_inside_a_scope_and_leaves_it_on()
    {
        using (Autocast.Enable())
        {
            var report = NumericsCheck.Run(convolutionRounds: 1);
            Assert.True(report.Correct, report.ToString());
            Assert.True(Autocast.IsEnabled);
        }
    }

    [Theory]
    [InlineData("bf16", true)]
    [InlineData(" BF16 ", true)]
    [InlineData("1", false)]
    [InlineData("bfloat16", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void MODELDSL_AUTOCAST_asks_for_it_with_PyTorch_s_spelling(string? value, bool requested)
        => Assert.Equal(requested, Autocast.Requests(value));

    [Fact]
    public void Only_bfloat16_is_accepted()
        => Assert.Throws<ArgumentException>(() => Autocast.Enable(ScalarType.Float16));

    // y = x·Wᵀ + b under autocast: x, W and b are rounded to bfloat16 (each by at most 2⁻⁹ relative), the products of
    // bfloat16 numbers are exact in float32 and summed in float32, and the result is rounded to bfloat16 once more. So
    // |y − Σ x·w − b| ≤ 3·2⁻⁹·(Σ|x||w| + |b|), plus float32's own sums (2⁻²⁰ of the same, generously), with Σ|x||w| + |b|
    // the same layer applied to the absolute values. The weight's gradient under loss Σ y·g: g is exact, so
    // dW = Σ g·x with x rounded and the sum rounded: the same bound with |g| for |w|.
    [Fact]
    public void A_linear_layer_and_its_weight_gradient_stay_within_the_bfloat16_rounding_bound()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(3);
        using var linear = nn.Linear(64, 32);
        Tensor x = randn(new long[] { 128, 64 }, generator: generator), g = randn(new long[] { 128, 32 }, generator: generator);
        Tensor reference = nn.functional.linear(x.to(float64), linear.weight!.to(float64), linear.bias!.to(float64));
        Tensor magnitude = nn.functional.linear(x.abs().to(float64), linear.weight!.abs().to(float64), linear.bias!.abs().to(float64));
        Tensor referenceGradient = g.t().to(float64).matmul(x.to(float64));
        Tensor gradientMagnitude = g.t().abs().to(float64).matmul(x.abs().to(float64));

        Tensor y;
        using (Autocast.Enable()) y = linear.forward(x);
        Assert.Equal(ScalarType.BFloat16, y.dtype);
        y.backward(new[] { g.to(ScalarType.BFloat16) });
        Tensor weightGradient = linear.weight!.grad!;
        Assert.Equal(ScalarType.Float32, weightGradient.dtype);

        double bound = 3 * HalfUlp + Math.Pow(2, -20);
        AssertWithin(y.to(float64), reference, magnitude * bound, "output");
        AssertWithin(weightGradient.to(float64), referenceGradient, gradientMagnitude * bound, "weight gradient");
        // And it did round: float32 would be within 2⁻²⁰ of the reference everywhere.
        Assert.True(((y.to(float64) - reference).abs() > magnitude * Math.Pow(2, -20)).any().item<bool>());
    }

    private static void AssertWithin(Tensor actual, Tensor expected, Tensor bound, string what)
    {
        Tensor excess = (actual - expected).abs() - bound;
        Assert.True(excess.max().item<double>() <= 0, $"{what}: off by {excess.max().item<double>():g3} beyond the bfloat16 bound");
    }

    public static IEnumerable<object[]> GeneratedModels()
    {
        foreach (Type type in GeneratedModelCatalog.Types())
            yield return new object[] { type.FullName! };
    }

    [Fact]
    public void The_sweep_covers_dense_convolutional_normalized_residual_and_graph_models()
    {
        var names = GeneratedModels().Select(m => (string)m[0]).ToList();
        Assert.True(names.Count >= 100, $"only {names.Count} models: {string.Join(", ", names)}");
        foreach (string expected in new[] { "SmallCnn", "Mlp", "GroupNormImage", "LayerNormImage", "InstanceNormImage", "PooledRectifierCnn", "ResidualProjectionCnn", "MiniInception", "TinyVit" })
            Assert.Contains(names, n => n.EndsWith("." + expected, StringComparison.Ordinal));
        Assert.Contains(names, n => { using var model = GeneratedModelCatalog.Create(GeneratedModelCatalog.Find(n)); return model.modules().Any(m => m is Embedding); });
    }

    /// <summary>
    /// Every generated model (token models over random ids) trains a step under autocast: the output and every gradient finite, parameter gradients in
    /// float32. At eval its output stays near float32's: each layer rounds its operands and result to bfloat16 (at most
    /// 3·2⁻⁹ of the scale of its inputs' products), and the bound allows 2⁻⁵ of the output's scale, about ten such
    /// layers in a row, which the sweep's models do not exceed.
    /// </summary>
    [Theory]
    [MemberData(nameof(GeneratedModels))]
    public void Every_generated_model_trains_under_autocast_near_its_float32_outputs(string typeName)
    {
        using var scope = NewDisposeScope();
        using var model = GeneratedModelCatalog.Create(GeneratedModelCatalog.Find(typeName));
        long[] shape = new long[] { 4 }.Concat(((IGeneratedModel)model).InputShape).ToArray();
        // A model over token ids (an embedding first) takes integers, which autocast leaves alone; the rest take floats.
        var embedding = model.modules().OfType<Embedding>().FirstOrDefault();
        Tensor x = embedding is null
            ? randn(shape, generator: new Generator(11))
            : randint(0, embedding.weight!.shape[0], shape, generator: new Generator(11));

        model.train();
        Tensor input = embedding is null ? x.detach().requires_grad_(true) : x;
        manual_seed(5);
        Tensor y;
        using (Autocast.Enable()) y = model.forward(input);
        Assert.True(y.isfinite().all().item<bool>(), $"{typeName}: non-finite output under autocast");
        (y.to(float32) * randn(y.shape, generator: new Generator(12))).sum().backward();
        if (embedding is null) Assert.Equal(ScalarType.Float32, input.grad!.dtype);
        foreach (var (name, p) in model.named_parameters())
        {
            if (p.grad is null) continue;
            Assert.True(p.grad.dtype == ScalarType.Float32, $"{typeName}: gradient of {name} is {p.grad.dtype}");
            Assert.True(p.grad.isfinite().all().item<bool>(), $"{typeName}: gradient of {name} is not finite");
        }

        model.eval();
        using var noGrad = no_grad();
        Tensor full = model.forward(x);
        Tensor reduced;
        using (Autocast.Enable()) reduced = model.forward(x).to(float32);
        double scale = full.abs().max().item<float>() + 1e-3;
        double off = (reduced - full).abs().max().item<float>() / scale;
        output.WriteLine($"{typeName}: eval output within {off:g3} of float32's scale");
        Assert.True(off <= Math.Pow(2, -5), $"{typeName}: eval output off by {off:g3} of its scale under autocast");
    }

    [Fact]
    public void A_fit_with_autocast_says_so_trains_and_keeps_float32_parameters()
    {
        using var train = SyntheticData.Clusters(256, 8, 3, taskSeed: 1, sampleSeed: 2);
        using var validation = SyntheticData.Clusters(128, 8, 3, taskSeed: 1, sampleSeed: 3);
        var log = new StringWriter();
        var model = new TrainingClassifier(seed: 1);
        var trainer = new Trainer(model, optim.Adam(model.parameters(), lr: 1e-2),
            new TrainerOptions { Epochs = 4, BatchSize = 32, Seed = 1, Autocast = true, Progress = new PlainProgressReporter(log) });
        trainer.Fit(train, validation);

        Assert.Contains("Trainer: training steps autocast to bfloat16 (TrainerOptions.Autocast)", log.ToString());
        Assert.False(Autocast.IsEnabled);
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        var history = trainer.History.Records;
        Assert.True(history[^1].Values["loss"] < history[0].Values["loss"], "the training loss fell");
        Assert.True(history[^1].Values["val_accuracy"] >= 0.9, $"validation accuracy {history[^1].Values["val_accuracy"]}");
    }

}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Training;
using ModelDsl.Weights;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Folding;

/// <summary>
/// <see cref="FoldedInference"/>: the folded eval forward equals the model's own within float32 rounding for an MLP, the
/// MNIST CNN and a ResNet; the cached folded weights are rebuilt after every way the weights or running statistics change;
/// training mode, gradients and hand-written forwards run the model's own forward; no tensors leak.
/// </summary>
[Collection(nameof(ModelDsl.Tests.Weights.GlobalGeneratorCollection))]
public class FoldedInferenceTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const double U = 5.960464477539063e-8;   // float32's unit roundoff, 2^-24

    /// <summary>
    /// The largest difference folding may make, from float32 rounding: each Dense/Conv output is a dot product of K
    /// terms, computed within γ_K·Σ|w·x| of its exact value (γ_K = K·u/(1 − K·u), Higham 2002, §3.1) in the folded and
    /// the unfolded forward alike; folding adds one rounding per weight (u) and removes batch norm's four operations (≤ 4u).
    /// So one folded layer changes its output by at most about 2(K + 5)·u of its scale; over <paramref name="folded"/>
    /// layers, to first order, <c>folded · 2(K + 5) · u · max|output|</c>. A wiring or statistics error is O(max|output|).
    /// </summary>
    private static double Tolerance(Tensor expected, long fanIn, int folded)
        => folded * 2.0 * (fanIn + 5) * U * expected.abs().max().to(ScalarType.Float64).item<double>();

    /// <summary>γ, β, μ and σ² of every batch norm redrawn from a seeded generator (σ² in [0.5, 1.5]), so the fold is not the identity.</summary>
    private static void RandomizeBatchNorms(nn.Module model, ulong seed = 11)
    {
        var generator = new Generator(seed);
        using var noGrad = no_grad();
        foreach (BatchNormalization norm in model.modules().OfType<BatchNormalization>())
        {
            norm.Weight!.normal_(1, 0.5, generator: generator);
            norm.Bias!.normal_(0, 0.5, generator: generator);
            norm.RunningMean.normal_(0, 0.5, generator: generator);
            norm.RunningVar.uniform_(0.5, 1.5, generator: generator);
        }
    }

    private static double MaxDiff(Tensor a, Tensor b) => (a - b).abs().max().to(ScalarType.Float64).item<double>();

    /// <summary>The folded and the unfolded eval output for <paramref name="x"/>, asserting the call folded.</summary>
    private static (Tensor Folded, Tensor Plain) Both(nn.Module<Tensor, Tensor> model, FoldedInference folded, Tensor x)
    {
        using var eval = model.Evaluating();
        Tensor plain = model.forward(x);
        Tensor fast = folded.forward(x);
        Assert.True(folded.LastCallFolded, folded.NotFoldedReason ?? "not folded");
        return (fast, plain);
    }

    private void AssertClose(Tensor folded, Tensor plain, long fanIn, int pairs, string what)
    {
        Assert.Equal(plain.shape, folded.shape);
        Assert.Equal(plain.dtype, folded.dtype);
        double tolerance = Tolerance(plain, fanIn, pairs), diff = MaxDiff(folded, plain);
        output.WriteLine($"{what}: max |folded − eval| = {diff:G3}, allowed {tolerance:G3}, max |eval| = {plain.abs().max().to(ScalarType.Float64).item<double>():G3}");
        Assert.True(diff <= tolerance, $"{what}: max |folded − eval| = {diff:G3} > {tolerance:G3}");
    }

    [Fact]
    public void Mlp_with_batch_norm_folds_to_the_eval_output()
    {
        using var scope = NewDisposeScope();
        var model = new FoldMlp(seed: 1);
        RandomizeBatchNorms(model);
        using FoldedInference folded = model.Folded(require: true);
        Assert.Equal(2, folded.FoldedPairs);
        (Tensor fast, Tensor plain) = Both(model, folded, randn(new long[] { 64, 8 }, generator: new Generator(2)));
        AssertClose(fast, plain, fanIn: 16, pairs: 2, "MLP");
        Assert.True(model.training, "the model's mode is left as it was");
    }

    [Fact]
    public void Mnist_cnn_folds_conv_batch_norm_pairs_to_the_eval_output()
    {
        using var scope = NewDisposeScope();
        var model = new FoldMnistCnn(seed: 1);
        RandomizeBatchNorms(model);
        using FoldedInference folded = model.Folded(require: true);
        Assert.Equal(2, folded.FoldedPairs);
        Tensor images = rand(new long[] { 20, 1, 28, 28 }, generator: new Generator(2));
        (Tensor fast, Tensor plain) = Both(model, folded, images.narrow(0, 0, 16));
        AssertClose(fast, plain, fanIn: 32 * 9, pairs: 2, "MNIST CNN");
        // A batch sliced from a larger tensor, starting four images into its storage (as the Trainer's validation batches do).
        (Tensor slicedFast, Tensor slicedPlain) = Both(model, folded, images.narrow(0, 4, 16));
        AssertClose(slicedFast, slicedPlain, fanIn: 32 * 9, pairs: 2, "MNIST CNN, sliced batch");
        AssertClose(slicedFast, Both(model, folded, images.narrow(0, 4, 16).clone()).Folded, fanIn: 32 * 9, pairs: 2, "MNIST CNN, sliced against a copy");
    }

    [Fact]
    public void Residual_branches_and_projection_shortcuts_fold()
    {
        using var scope = NewDisposeScope();
        var model = new FoldResNet(seed: 1);
        RandomizeBatchNorms(model);
        using FoldedInference folded = model.Folded(require: true);
        // Stem 1, projection unit 2 in the branch + 1 in the shortcut, identity unit 2.
        Assert.Equal(6, folded.FoldedPairs);
        (Tensor fast, Tensor plain) = Both(model, folded, randn(new long[] { 8, 3, 12, 12 }, generator: new Generator(2)));
        AssertClose(fast, plain, fanIn: 16 * 9, pairs: 6, "ResNet");
    }

    [Fact]
    public void Channels_last_blocked_convolutions_fused_relu_and_relu_after_pooling_fold_to_the_eval_output()
    {
        // Without oneDNN and channels-last, at batches large enough for the blocked convolution and the pairwise pool:
        // the MNIST CNN's ReLUs move after its 2×2 pools (its second convolution blocked), the ResNet's ReLUs after a
        // convolution are fused into it (libtorch's, at this size), the MLP's into its Dense.
        Convolution.ChannelsLastTests.WithoutOneDnn(ChannelsLastPolicy.Always, () =>
        {
            using var scope = NewDisposeScope();
            var cnn = new FoldMnistCnn(seed: 3);
            var resnet = new FoldResNet(seed: 3);
            var mlp = new FoldMlp(seed: 3);
            foreach (nn.Module model in new nn.Module[] { cnn, resnet, mlp }) RandomizeBatchNorms(model);
            using FoldedInference cnnFolded = cnn.Folded(require: true), resnetFolded = resnet.Folded(require: true), mlpFolded = mlp.Folded(require: true);
            (Tensor fast, Tensor plain) = Both(cnn, cnnFolded, rand(new long[] { 64, 1, 28, 28 }, generator: new Generator(4)));
            AssertClose(fast, plain, fanIn: 32 * 9, pairs: 2, "MNIST CNN at batch 64");
            (fast, plain) = Both(resnet, resnetFolded, randn(new long[] { 32, 3, 12, 12 }, generator: new Generator(4)));
            AssertClose(fast, plain, fanIn: 16 * 9, pairs: 6, "ResNet at batch 32");
            (fast, plain) = Both(mlp, mlpFolded, randn(new long[] { 64, 8 }, generator: new Generator(4)));
            AssertClose(fast, plain, fanIn: 16, pairs: 2, "MLP");
            // ReLU after a padded, ceil-mode 3×3 pool too (libtorch's kernel; every window holds an input element), and a
            // convolution with its own bias folded with the batch norm's.
            var stem = new FoldStemCnn(seed: 3);
            RandomizeBatchNorms(stem);
            using FoldedInference stemFolded = stem.Folded(require: true);
            (fast, plain) = Both(stem, stemFolded, randn(new long[] { 64, 3, 15, 15 }, generator: new Generator(4)));
            AssertClose(fast, plain, fanIn: 32 * 9, pairs: 2, "stem with a padded pool");
        });
    }

    [Fact]
    public void Unchanged_weights_are_folded_once()
    {
        using var scope = NewDisposeScope();
        var model = new FoldResNet(seed: 1);
        using FoldedInference folded = model.Folded();
        Tensor x = randn(new long[] { 4, 3, 12, 12 });
        for (int i = 0; i < 5; i++) Both(model, folded, x);
        Assert.Equal(1, folded.Rebuilds);
    }

    /// <summary>Folds, changes the model with <paramref name="change"/>, and asserts a rebuild and the new eval output.</summary>
    private void AssertRebuiltAfter(nn.Module<Tensor, Tensor> model, FoldedInference folded, Tensor x, long fanIn, Action change, string what)
    {
        (Tensor before, _) = Both(model, folded, x);
        int rebuilds = folded.Rebuilds;
        change();
        (Tensor fast, Tensor plain) = Both(model, folded, x.to(ParameterType(model)));
        Assert.Equal(rebuilds + 1, folded.Rebuilds);
        AssertClose(fast, plain, fanIn, folded.FoldedPairs, what);
        Assert.True(MaxDiff(before.to(fast.dtype), fast) > Tolerance(plain, fanIn, folded.FoldedPairs), $"{what}: the change should change the output");
    }

    private static ScalarType ParameterType(nn.Module model) => model.parameters().First().dtype;

    [Fact]
    public void An_optimizer_step_invalidates_the_folded_weights()
    {
        using var scope = NewDisposeScope();
        var model = new FoldMlp(seed: 1);
        using FoldedInference folded = model.Folded();
        var optimizer = optim.SGD(model.parameters(), 0.5);
        Tensor x = randn(new long[] { 32, 8 }, generator: new Generator(3));
        AssertRebuiltAfter(model, folded, x, 16, () =>
        {
            using var train = model.Training();
            optimizer.zero_grad();
            model.forward(x).square().mean().backward();
            optimizer.step();
        }, "SGD step");
    }

    [Fact]
    public void Running_statistics_updated_by_a_training_forward_invalidate_the_folded_weights()
    {
        using var scope = NewDisposeScope();
        var model = new FoldMnistCnn(seed: 1);
        using FoldedInference folded = model.Folded();
        Tensor x = rand(new long[] { 8, 1, 28, 28 }, generator: new Generator(3));
        AssertRebuiltAfter(model, folded, x, 32 * 9, () =>
        {
            using var train = model.Training();
            using var noGrad = no_grad();   // only the batch norms' running statistics change
            model.forward(x * 3 + 1);
        }, "training-mode forward");
    }

    [Fact]
    public void Trainer_fit_invalidates_the_folded_weights()
    {
        using var scope = NewDisposeScope();
        var model = new FoldMlp(seed: 1);
        using FoldedInference folded = model.Folded();
        using LabeledData train = ModelDsl.Tests.Training.SyntheticData.Clusters(64, 8, 3, taskSeed: 1, sampleSeed: 2);
        var trainer = new Trainer(model, optim.Adam(model.parameters(), 0.01), new TrainerOptions { Epochs = 1, BatchSize = 16, Seed = 1 });
        AssertRebuiltAfter(model, folded, train.Inputs, 16, () => trainer.Fit(train), "Trainer.Fit");
    }

    [Fact]
    public void LoadWeights_and_a_checkpoint_invalidate_the_folded_weights()
    {
        using var scope = NewDisposeScope();
        var model = new FoldResNet(seed: 1);
        var other = new FoldResNet(seed: 2);
        RandomizeBatchNorms(other, seed: 5);
        using FoldedInference folded = model.Folded();
        Tensor x = randn(new long[] { 4, 3, 12, 12 }, generator: new Generator(3));
        string directory = Path.Combine(Path.GetTempPath(), "modeldsl-fold-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            string weights = Path.Combine(directory, "other.bin");
            other.SaveWeights(weights);
            AssertRebuiltAfter(model, folded, x, 16 * 9, () => model.LoadWeights(weights), "LoadWeights");

            var third = new FoldResNet(seed: 3);
            RandomizeBatchNorms(third, seed: 6);
            string checkpoint = Path.Combine(directory, "third.ckpt");
            Checkpoint.Save(checkpoint, third, optim.Adam(third.parameters()), epoch: 1, step: 1, new History());
            AssertRebuiltAfter(model, folded, x, 16 * 9, () => Checkpoint.Load(checkpoint, model, optim.Adam(model.parameters())), "Checkpoint.Load");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Edits_under_no_grad_invalidate_the_folded_weights()
    {
        using var scope = NewDisposeScope();
        var model = new FoldResNet(seed: 1);
        using FoldedInference folded = model.Folded();
        Tensor x = randn(new long[] { 4, 3, 12, 12 }, generator: new Generator(3));
        TorchSharp.Modules.Conv2d conv = model.modules().OfType<TorchSharp.Modules.Conv2d>().Last();
        BatchNormalization norm = model.modules().OfType<BatchNormalization>().First();
        AssertRebuiltAfter(model, folded, x, 16 * 9, () => { using var g = no_grad(); conv.weight.mul_(1.5); }, "conv weight edit");
        AssertRebuiltAfter(model, folded, x, 16 * 9, () => { using var g = no_grad(); norm.RunningMean.add_(0.5); }, "running mean edit");
        AssertRebuiltAfter(model, folded, x, 16 * 9, () => { using var g = no_grad(); norm.Weight!.mul_(-1); }, "γ edit");
        // One element of one tensor: a sum-based fingerprint would see it only by luck of the values; the exact copy does.
        AssertRebuiltAfter(model, folded, x, 16 * 9, () => { using var g = no_grad(); norm.Bias![0] = norm.Bias[0] + 2; }, "single β element");
    }

    [Fact]
    public void A_parameter_replaced_by_a_new_object_invalidates_the_folded_weights()
    {
        using var scope = NewDisposeScope();
        var model = new FoldMlp(seed: 1);
        using FoldedInference folded = model.Folded();
        TorchSharp.Modules.Linear dense = model.modules().OfType<TorchSharp.Modules.Linear>().First();
        Tensor x = randn(new long[] { 16, 8 }, generator: new Generator(3));
        // The same values in a new object: only the reference check can see it, and it must (the old object may be disposed).
        Both(model, folded, x);
        int rebuilds = folded.Rebuilds;
        using (no_grad()) dense.weight = new TorchSharp.Modules.Parameter(dense.weight.detach().clone());
        (Tensor same, Tensor plain) = Both(model, folded, x);
        Assert.Equal(rebuilds + 1, folded.Rebuilds);
        AssertClose(same, plain, 16, 2, "weight replaced by equal values");
        // Values doubled in a new object.
        AssertRebuiltAfter(model, folded, x, 16, () =>
        {
            using var g = no_grad();
            dense.weight = new TorchSharp.Modules.Parameter(dense.weight.detach() * 2);
        }, "weight replaced");
    }

    [Fact]
    public void To_float64_refolds_in_float64()
    {
        using var scope = NewDisposeScope();
        var model = new FoldMnistCnn(seed: 1);
        RandomizeBatchNorms(model);
        using FoldedInference folded = model.Folded();
        Tensor x = rand(new long[] { 4, 1, 28, 28 }, generator: new Generator(3));
        Both(model, folded, x);
        model.to(ScalarType.Float64);
        (Tensor fast, Tensor plain) = Both(model, folded, x.to(ScalarType.Float64));
        Assert.Equal(2, folded.Rebuilds);
        Assert.Equal(ScalarType.Float64, fast.dtype);
        double diff = MaxDiff(fast, plain);
        Assert.True(diff <= 1e-12 * plain.abs().max().item<double>(), $"float64: {diff:G3}");
    }

    [Fact]
    public void Training_mode_and_gradients_run_the_models_own_forward()
    {
        using var scope = NewDisposeScope();
        var model = new FoldMlpNoDropout(seed: 1);
        RandomizeBatchNorms(model);
        using FoldedInference folded = model.Folded();
        Tensor x = randn(new long[] { 16, 8 }, generator: new Generator(3));

        // Training mode: batch statistics, the model's own forward, bit for bit.
        model.train();
        Tensor fastTrain = folded.forward(x);
        Assert.False(folded.LastCallFolded);
        Tensor plainTrain = model.forward(x);
        Assert.True(fastTrain.Equals(plainTrain));

        // Eval mode with gradients on: the output must carry the graph to the parameters, so no folding.
        model.eval();
        Tensor withGrad = folded.forward(x);
        Assert.False(folded.LastCallFolded);
        Assert.True(withGrad.requires_grad);

        // A batch norm left in training mode inside an eval model normalizes with batch statistics: no folding.
        using (model.Evaluating())
        {
            model.modules().OfType<BatchNormalization>().First().train();
            folded.forward(x);
            Assert.False(folded.LastCallFolded);
        }

        // The process-wide switch.
        FoldedInference.Enabled = false;
        try
        {
            using var eval = model.Evaluating();
            folded.forward(x);
            Assert.False(folded.LastCallFolded);
        }
        finally
        {
            FoldedInference.Enabled = true;
        }
        Assert.Equal(0, folded.Rebuilds);
    }

    [Fact]
    public void Repeated_folded_calls_leave_no_live_tensors()
    {
        using var outer = NewDisposeScope();
        var model = new FoldResNet(seed: 1);
        using FoldedInference folded = model.Folded();
        Tensor x = randn(new long[] { 4, 3, 12, 12 });
        using var eval = model.Evaluating();

        void Call()
        {
            using var scope = NewDisposeScope();
            folded.forward(x);
        }

        Call();   // builds the cache (its tensors are detached from every scope and live until Dispose)
        Assert.True(folded.LastCallFolded);
        DisposeScopeManager.Statistics.Reset();
        for (int i = 0; i < 20; i++) Call();
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);

        // A rebuild replaces the cached tensors, it does not add to them.
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (no_grad()) model.modules().OfType<BatchNormalization>().First().RunningMean.add_(0.1);
        Call();
        Call();
        Assert.Equal(2, folded.Rebuilds);
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    /// <summary>Implements IGeneratedModel with a forward that is not the chain of its layers (a skip connection).</summary>
    private sealed class HandWrittenSkip : nn.Module<Tensor, Tensor>, IGeneratedModel
    {
        private readonly TorchSharp.Modules.Linear dense;
        private readonly BatchNormalization norm;

        public HandWrittenSkip() : base(nameof(HandWrittenSkip))
        {
            manual_seed(1);
            dense = nn.Linear(6, 6);
            norm = new BatchNormalization(6);
            RegisterComponents();
        }

        public IReadOnlyList<long> InputShape => new long[] { 6 };
        public string Summary() => nameof(HandWrittenSkip);
        public string Summary(int depth) => Summary();
        public override Tensor forward(Tensor input) => norm.forward(dense.forward(input)) + input;
    }

    [Fact]
    public void A_hand_written_forward_is_not_folded_and_require_names_the_model()
    {
        using var scope = NewDisposeScope();
        var model = new HandWrittenSkip();
        using FoldedInference folded = model.Folded();
        Assert.False(folded.CanFold);
        Assert.Contains("not the chain", folded.NotFoldedReason);
        Tensor x = randn(5, 6);
        using (model.Evaluating())
        {
            Assert.True(folded.forward(x).Equals(model.forward(x)));
            Assert.False(folded.LastCallFolded);
        }
        var error = Assert.Throws<NotSupportedException>(() => model.Folded(require: true));
        Assert.Contains(nameof(HandWrittenSkip), error.Message);
    }

    [Fact]
    public void Models_without_a_foldable_pair_or_with_token_inputs_run_their_own_forward()
    {
        using var scope = NewDisposeScope();
        // Conv2d → LayerNorm: nothing to fold.
        var cnn = new ModelDsl.Tests.Models.SameCnn(seed: 1);
        using (FoldedInference folded = cnn.Folded())
        {
            Assert.False(folded.CanFold);
            Assert.Contains("no Dense or Conv2d", folded.NotFoldedReason);
            Tensor x = randn(3, 3, 9, 11);
            using var eval = cnn.Evaluating();
            Assert.True(folded.forward(x).Equals(cnn.forward(x)));
            Assert.False(folded.LastCallFolded);
        }
        Assert.Contains(nameof(ModelDsl.Tests.Models.SameCnn), Assert.Throws<NotSupportedException>(() => cnn.Folded(require: true)).Message);

        // Token ids and a padding mask: the chain walk cannot pass the mask, so no folding.
        var tokens = new ModelDsl.Tests.Sequence.TokenEncoder(seed: 1);
        using FoldedInference foldedTokens = tokens.Folded();
        Assert.False(foldedTokens.CanFold);
        Assert.Contains("token model", foldedTokens.NotFoldedReason);
    }
}

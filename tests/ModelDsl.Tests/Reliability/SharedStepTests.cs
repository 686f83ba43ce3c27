using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ModelDsl.Tests.Models;
using ModelDsl.Tests.Training;
using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Reliability;

/// <summary>Every trainer runs the same step, and runs that would interleave the global generator's draws are refused.</summary>
public class SharedStepTests
{
    private static Tensor CrossEntropy(Tensor output, Tensor labels) => nn.functional.cross_entropy(output, labels);

    [Fact]
    public void BaggingTrainer_applies_the_members_max_norm()
    {
        using var scope = NewDisposeScope();
        using var data = SyntheticData.Clusters(48, 10, 2, taskSeed: 1, sampleSeed: 2);
        var members = new[] { new MaxNormModel(seed: 1), new MaxNormModel(seed: 2) }; // Dense(8, Normal(0, 1), MaxNorm = 0.5)
        BaggingTrainer.Train(members, data.Inputs, data.Labels, CrossEntropy, m => optim.SGD(m.parameters(), 0.1), new BaggingOptions { Epochs = 2, BatchSize = 16 });
        foreach (var member in members)
        {
            Tensor norms = member.named_parameters().Single(p => p.name == "dense1.weight").parameter.detach().norm(1, false);
            Assert.True(norms.max().ToDouble() <= 0.5 + 1e-6, $"row norms {norms}");
        }
    }

    [Fact]
    public void BaggingTrainer_autocasts_each_members_steps_on_its_own_thread()
    {
        using var scope = NewDisposeScope();
        using var data = SyntheticData.Clusters(64, 10, 2, taskSeed: 1, sampleSeed: 2);
        MaxNormModel[] Train(bool autocast)
        {
            var members = new[] { new MaxNormModel(seed: 1), new MaxNormModel(seed: 2) };   // no dropout: parallel is allowed
            BaggingTrainer.Train(members, data.Inputs, data.Labels, CrossEntropy, m => optim.SGD(m.parameters(), 0.1),
                new BaggingOptions { Epochs = 2, BatchSize = 16, Bootstrap = false, Parallel = true, Autocast = autocast });
            return members;
        }

        var full = Train(autocast: false);
        var reduced = Train(autocast: true);
        Assert.False(Autocast.IsEnabled);
        foreach (var (a, b) in full.Zip(reduced))
        foreach (var ((name, p), q) in a.named_parameters().Zip(b.parameters()))
        {
            Assert.Equal(ScalarType.Float32, q.dtype);
            Assert.True(q.isfinite().all().item<bool>(), name);
            // bfloat16 steps move the weights a little differently, never far: two epochs of SGD from the same start.
            float apart = (p - q).abs().max().item<float>();
            Assert.True(apart > 0, $"{name}: identical to float32 training, so autocast did not run");
            Assert.True(apart < 0.05f, $"{name}: {apart} from float32 training");
        }
    }

    [Fact]
    public void BaggingTrainer_adds_the_members_weight_decay_gradients()
    {
        using var scope = NewDisposeScope();
        using var data = SyntheticData.Clusters(16, 6, 3, taskSeed: 1, sampleSeed: 2);
        var member = new GroupedDecayModel(seed: 1);
        var reference = new GroupedDecayModel(seed: 1);

        // One full batch: the same step by hand, ∇J + ∇(λ2/2‖w‖² + λ1‖w‖₁) per group, then SGD.
        reference.train();
        var sgd = optim.SGD(reference.parameters(), 0.1);
        sgd.zero_grad();
        CrossEntropy(reference.forward(data.Inputs), data.Labels).backward();
        reference.AddPenaltyGradients();
        sgd.step();

        BaggingTrainer.Train(new[] { member }, data.Inputs, data.Labels, CrossEntropy, m => optim.SGD(m.parameters(), 0.1),
            new BaggingOptions { Epochs = 1, BatchSize = 16, Bootstrap = false });
        foreach (var ((name, p), q) in member.named_parameters().Zip(reference.parameters()))
            Assert.True(p.allclose(q, rtol: 1e-5, atol: 1e-6), $"{name} differs from the step with penalty gradients");
    }

    [Fact]
    public void BaggingTrainer_drops_a_last_batch_of_one_for_BatchNorm_members()
    {
        using var scope = NewDisposeScope();
        using var data = SyntheticData.Clusters(129, 8, 3, taskSeed: 1, sampleSeed: 2);
        var members = new[] { new TrainingClassifier(seed: 1), new TrainingClassifier(seed: 2) };
        double[] losses = BaggingTrainer.Train(members, data.Inputs, data.Labels, CrossEntropy, m => optim.Adam(m.parameters(), 1e-2),
            new BaggingOptions { Epochs = 2, BatchSize = 128, Bootstrap = false });
        Assert.All(losses, l => Assert.True(double.IsFinite(l)));
        Assert.All(members, m => Assert.True(m.modules().OfType<BatchNormalization>().Single().RunningVar.isfinite().all().item<bool>()));
    }

    [Fact]
    public async Task A_second_run_overlapping_a_model_with_dropout_is_refused_unless_allowed()
    {
        using var train = SyntheticData.Clusters(32, 8, 3, taskSeed: 1, sampleSeed: 2);
        using var inFirstRun = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var first = new Trainer(new TrainingClassifier(seed: 1), optim.Adam(new TrainingClassifier(seed: 1).parameters()), new TrainerOptions { Epochs = 1, BatchSize = 16 });
        first.Callbacks.Add(new Blocking(inFirstRun, release));
        var running = Task.Run(() => first.Fit(train));
        try
        {
            Assert.True(inFirstRun.Wait(TimeSpan.FromSeconds(30)));
            var model = new OverfittingNet(seed: 1); // draws nothing itself, but its epoch reseeding would disturb the dropout run
            using var other = SyntheticData.Clusters(16, 20, 2, taskSeed: 1, sampleSeed: 2);
            var error = Assert.Throws<InvalidOperationException>(() => new Trainer(model, optim.Adam(model.parameters()), new TrainerOptions { Epochs = 1 }).Fit(other));
            Assert.Contains("global generator", error.Message);
            Assert.Contains("AllowConcurrentRuns", error.Message);
            new Trainer(model, optim.Adam(model.parameters()), new TrainerOptions { Epochs = 1, AllowConcurrentRuns = true }).Fit(other);
        }
        finally
        {
            release.Set();
            await running;
        }
    }

    [Fact]
    public async Task Same_seed_runs_without_dropout_may_overlap_and_stay_bit_identical()
    {
        using var train = SyntheticData.Clusters(32, 20, 2, taskSeed: 1, sampleSeed: 2);
        float[] Run()
        {
            var model = new OverfittingNet(seed: 1);
            new Trainer(model, optim.Adam(model.parameters(), 1e-3), new TrainerOptions { Epochs = 5, BatchSize = 8, Seed = 4 }).Fit(train);
            return model.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
        }
        float[][] parallel = await Task.WhenAll(Task.Run(Run), Task.Run(Run));
        Assert.Equal(parallel[0], parallel[1]);
        Assert.Equal(Run(), parallel[0]);
    }

    [Fact]
    public void Parallel_bagging_of_members_with_dropout_is_refused()
    {
        using var scope = NewDisposeScope();
        using var data = SyntheticData.Clusters(32, 8, 3, taskSeed: 1, sampleSeed: 2);
        var members = new[] { new TrainingClassifier(seed: 1), new TrainingClassifier(seed: 2) };
        var error = Assert.Throws<InvalidOperationException>(() => BaggingTrainer.Train(members, data.Inputs, data.Labels, CrossEntropy,
            m => optim.Adam(m.parameters()), new BaggingOptions { Epochs = 1, Parallel = true }));
        Assert.Contains("Parallel = true with members that use dropout or noise", error.Message);
    }

    private sealed class Blocking(ManualResetEventSlim entered, ManualResetEventSlim release) : ITrainingCallback
    {
        public void OnCheck(Trainer trainer, HistoryRecord record)
        {
            entered.Set();
            release.Wait(TimeSpan.FromSeconds(60));
        }

        public void OnTrainEnd(Trainer trainer) { }
    }
}

using System;
using System.IO;
using System.Linq;
using ModelDsl.Tests.Models;
using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Training;

public sealed class CheckpointTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("modeldsl-ckpt-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static Trainer NewTrainer(nn.Module<Tensor, Tensor> model, int epochs, string? checkpoint = null)
        => new(model, optim.Adam(model.parameters(), lr: 1e-2), new TrainerOptions { Epochs = epochs, BatchSize = 16, Seed = 11, CheckpointPath = checkpoint });

    [Fact]
    public void Resuming_from_a_checkpoint_continues_bit_identically()
    {
        using var train = SyntheticData.Clusters(96, 8, 3, taskSeed: 1, sampleSeed: 2);
        using var validation = SyntheticData.Clusters(48, 8, 3, taskSeed: 1, sampleSeed: 3);

        string path = Path.Combine(folder, "run.ckpt");

        var first = new TrainingClassifier(seed: 1);
        var firstHalf = NewTrainer(first, 3, path);
        firstHalf.Fit(train, validation);
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));

        var resumed = new TrainingClassifier(seed: 99); // different initial weights: everything must come from the checkpoint
        var secondHalf = NewTrainer(resumed, 6);
        secondHalf.LoadCheckpoint(path);
        Assert.Equal(3, secondHalf.CompletedEpochs);
        secondHalf.Fit(train, validation);

        var again = new TrainingClassifier(seed: 1);
        var whole = NewTrainer(again, 6);
        whole.Fit(train, validation);
        Assert.Equal(whole.History.ToCsv(), secondHalf.History.ToCsv());
        foreach (var (name, tensor) in again.state_dict())
            Assert.True(tensor.eq(resumed.state_dict()[name]).all().item<bool>(), $"{name} differs after resuming");
    }

    [Fact]
    public void Loading_into_another_architecture_lists_the_mismatched_keys_and_shapes()
    {
        string path = Path.Combine(folder, "tiny.ckpt");
        var tiny = new TrainingClassifier(seed: 1);
        Checkpoint.Save(path, tiny, optim.Adam(tiny.parameters()), epoch: 0, step: 0, new History());

        var wider = new WiderClassifier(seed: 1);
        var error = Assert.Throws<CheckpointMismatchException>(() => Checkpoint.Load(path, wider, optim.Adam(wider.parameters())));
        Assert.Contains("dense1.weight: checkpoint [16, 8], model [32, 8]", error.Message);
        Assert.Contains(error.Mismatches, m => m.StartsWith("dense2.weight: checkpoint [3, 16], model [3, 32]", StringComparison.Ordinal));
    }

    [Fact]
    public void A_crash_while_writing_leaves_the_previous_checkpoint_loadable()
    {
        string path = Path.Combine(folder, "safe.ckpt");
        var model = new TrainingClassifier(seed: 1);
        Checkpoint.Save(path, model, optim.Adam(model.parameters()), epoch: 4, step: 40, new History());
        byte[] before = File.ReadAllBytes(path);
        // A crash mid-write leaves only a partial temporary file; the target itself is replaced by a rename, never written in place.
        string crashed = path + ".4242.0123456789abcdef0123456789abcdef.tmp";
        File.WriteAllBytes(crashed, before.Take(before.Length / 2).ToArray());

        var state = Checkpoint.Load(path, model, optim.Adam(model.parameters()));
        Assert.Equal(4, state.Epoch);
        Checkpoint.Save(path, model, optim.Adam(model.parameters()), epoch: 5, step: 50, new History());
        Assert.Equal(5, Checkpoint.Load(path, model, optim.Adam(model.parameters())).Epoch);
        Assert.Equal(new[] { crashed }, Directory.GetFiles(folder, "*.tmp")); // only the crashed writer's own file
    }

    [Fact]
    public void Resuming_with_early_stopping_and_checks_every_few_batches_equals_the_uninterrupted_run()
    {
        // OverfittingNet overfits 32 samples, so early stopping (patience 3) ends the run; checks every 3 of the 4 batches
        // per epoch make the metrics accumulated since the last check span the epoch boundary the checkpoint is written at.
        using var train = SyntheticData.Clusters(32, 20, 2, taskSeed: 4, sampleSeed: 5, separation: 0.5);
        using var validation = SyntheticData.Clusters(200, 20, 2, taskSeed: 4, sampleSeed: 6, separation: 0.5);
        (Trainer Trainer, EarlyStopping Stopping) Run(nn.Module<Tensor, Tensor> model, int epochs, string? checkpoint = null, string? resumeFrom = null)
        {
            var trainer = new Trainer(model, optim.Adam(model.parameters(), lr: 3e-3),
                new TrainerOptions { Epochs = epochs, BatchSize = 8, Seed = 2, CheckEveryBatches = 3, CheckpointPath = checkpoint });
            var stopping = new EarlyStopping(patience: 3, restoreBest: true);
            trainer.Callbacks.Add(stopping);
            if (resumeFrom is not null) trainer.LoadCheckpoint(resumeFrom);
            trainer.Fit(train, validation);
            return (trainer, stopping);
        }

        var whole = new OverfittingNet(seed: 1);
        var (uninterrupted, stopped) = Run(whole, 80);
        Assert.NotNull(stopped.StoppedAtCheck);
        int stopEpoch = uninterrupted.History.Records[^1].Epoch;
        Assert.True(stopEpoch >= 4, $"stopped at epoch {stopEpoch}: too early to interrupt before it");

        string path = Path.Combine(folder, "early.ckpt");
        Run(new OverfittingNet(seed: 1), stopEpoch - 2, checkpoint: path);
        var resumedModel = new OverfittingNet(seed: 99);
        var (resumed, resumedStopping) = Run(resumedModel, 80, resumeFrom: path);

        Assert.Equal(uninterrupted.History.ToCsv(), resumed.History.ToCsv());
        Assert.Equal(stopped.StoppedAtCheck, resumedStopping.StoppedAtCheck);
        Assert.Equal(stopped.BestCheck, resumedStopping.BestCheck);
        foreach (var (name, tensor) in whole.state_dict())
            Assert.True(tensor.eq(resumedModel.state_dict()[name]).all().item<bool>(), $"{name} differs after resuming (restored best)");
    }
}

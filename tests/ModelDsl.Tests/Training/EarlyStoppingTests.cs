using System.Collections.Generic;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Tests.Models;
using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Training;

/// <summary>
/// OverfittingNet (≈19k parameters) on 32 samples of two heavily overlapping clusters (separation 0.5 in 20 dimensions):
/// it fits the training set perfectly while validation loss, after an early minimum, rises — the chapter's overfitting curve.
/// </summary>
public sealed class EarlyStoppingTests : System.IDisposable
{
    private readonly LabeledData train = SyntheticData.Clusters(32, 20, 2, taskSeed: 4, sampleSeed: 5, separation: 0.5);
    private readonly LabeledData validation = SyntheticData.Clusters(400, 20, 2, taskSeed: 4, sampleSeed: 6, separation: 0.5);

    public void Dispose()
    {
        train.Dispose();
        validation.Dispose();
    }

    private (Trainer Trainer, SnapshotRecorder Recorder) Overfit(EarlyStopping stopping, int epochs = 80, int? checkEvery = null)
    {
        var model = new OverfittingNet(seed: 1);
        var trainer = new Trainer(model, optim.Adam(model.parameters(), lr: 3e-3), new TrainerOptions { Epochs = epochs, BatchSize = 8, Seed = 2, CheckEveryBatches = checkEvery });
        var recorder = new SnapshotRecorder();
        trainer.Callbacks.Add(recorder); // before early stopping, so it sees the weights each check was measured on
        trainer.Callbacks.Add(stopping);
        trainer.Fit(train, validation);
        return (trainer, recorder);
    }

    [Fact]
    public void Stops_within_patience_plus_one_checks_of_the_best_validation_loss()
    {
        using var stopping = new EarlyStopping("val_loss", patience: 4);
        var (trainer, recorder) = Overfit(stopping);
        using var _ = recorder;

        double[] valLoss = trainer.History.Values("val_loss");
        Assert.Equal(MonitorMode.Min, stopping.ResolvedMode);
        Assert.Equal(System.Array.IndexOf(valLoss, valLoss.Min()), stopping.BestCheck);
        Assert.Equal(stopping.BestCheck + 4, stopping.StoppedAtCheck);
        Assert.Equal(stopping.StoppedAtCheck + 1, valLoss.Length);
        Assert.True(valLoss.Length < 80, "the net overfits, so validation loss must turn up long before 80 epochs");
        Assert.True(trainer.History.Records[^1]["accuracy"] > trainer.History.Records[^1]["val_accuracy"]);
    }

    [Fact]
    public void Restore_best_gives_the_best_checks_weights_bit_for_bit()
    {
        using var stopping = new EarlyStopping("val_loss", patience: 3, restoreBest: true);
        var (trainer, recorder) = Overfit(stopping);
        using var _ = recorder;

        Assert.NotEqual(stopping.BestCheck, stopping.StoppedAtCheck);
        Assert.True(recorder.SameAs(stopping.BestCheck, trainer.Model));
        Assert.False(recorder.SameAs(recorder.Count - 1, trainer.Model));
        Assert.Equal(stopping.BestValue, trainer.Evaluate(validation)["loss"], 6); // float32 sums in another batch order: ~1e-7 relative
    }

    [Fact]
    public void Without_restore_the_last_weights_stay()
    {
        using var stopping = new EarlyStopping("val_loss", patience: 3, restoreBest: false);
        var (trainer, recorder) = Overfit(stopping);
        using var _ = recorder;
        Assert.True(recorder.SameAs(recorder.Count - 1, trainer.Model));
    }

    [Fact]
    public void With_large_patience_it_trains_to_the_end()
    {
        using var stopping = new EarlyStopping("val_loss", patience: 1000);
        var (trainer, recorder) = Overfit(stopping, epochs: 25);
        using var _ = recorder;
        Assert.Null(stopping.StoppedAtCheck);
        Assert.Equal(25, trainer.CompletedEpochs);
        Assert.Equal(25, trainer.History.Records.Count);
    }

    [Fact]
    public void Monitors_accuracy_upwards_and_checks_every_n_batches()
    {
        using var stopping = new EarlyStopping("val_accuracy", patience: 5, minDelta: 0.001);
        var (trainer, recorder) = Overfit(stopping, epochs: 40, checkEvery: 2);
        using var _ = recorder;

        Assert.Equal(MonitorMode.Max, stopping.ResolvedMode);
        Assert.Equal(2, trainer.History.Records[0].Step);
        Assert.All(trainer.History.Records, r => Assert.Equal(0, r.Step % 2));
        Assert.Equal(stopping.BestCheck + 5, stopping.StoppedAtCheck);
        Assert.Equal(trainer.History.Values("val_accuracy").Max(), stopping.BestValue);
    }

    /// <summary>Clones the model's state at every check so tests can compare against any of them.</summary>
    private sealed class SnapshotRecorder : ITrainingCallback, System.IDisposable
    {
        private readonly List<Dictionary<string, Tensor>> states = new();

        public int Count => states.Count;

        public void OnCheck(Trainer trainer, HistoryRecord record)
            => states.Add(trainer.Model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope()));

        public void OnTrainEnd(Trainer trainer) { }

        public bool SameAs(int check, nn.Module model)
            => model.state_dict().All(kv => kv.Value.eq(states[check][kv.Key]).all().item<bool>()); // exact float equality: bit-identical up to ±0

        public void Dispose()
        {
            foreach (var state in states) foreach (var tensor in state.Values) tensor.Dispose();
        }
    }
}

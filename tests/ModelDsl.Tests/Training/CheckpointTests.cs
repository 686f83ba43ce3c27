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
        Assert.False(File.Exists(path + ".tmp"));

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
        File.WriteAllBytes(path + ".tmp", before.Take(before.Length / 2).ToArray());

        var state = Checkpoint.Load(path, model, optim.Adam(model.parameters()));
        Assert.Equal(4, state.Epoch);
        Checkpoint.Save(path, model, optim.Adam(model.parameters()), epoch: 5, step: 50, new History());
        Assert.Equal(5, Checkpoint.Load(path, model, optim.Adam(model.parameters())).Epoch);
        Assert.False(File.Exists(path + ".tmp"));
    }
}

using System;
using ModelDsl.Tests.Models;
using ModelDsl.Training;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Training;

public class IntraOpThreadsTests
{
    [Fact]
    public void The_default_is_half_the_logical_processors_and_at_least_one()
    {
        if (Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is { Length: > 0 }) return; // the user's count is kept then (next test)
        var (threads, why) = IntraOpThreads.Choose(null);
        Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2), threads);
        Assert.Contains($"half of the {Environment.ProcessorCount} logical processors", why);
    }

    [Fact]
    public void An_explicit_count_wins_and_a_count_below_one_is_refused()
    {
        Assert.Equal((3, "TrainerOptions.Threads"), IntraOpThreads.Choose(3));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => IntraOpThreads.Choose(0));
        Assert.Contains("Threads must be at least 1", error.Message);
    }

    [Fact]
    public void Fit_runs_with_the_chosen_count_and_restores_the_previous_one()
    {
        using var train = SyntheticData.Clusters(32, 8, 3, taskSeed: 1, sampleSeed: 2);
        int before = get_num_threads();
        var model = new TrainingClassifier(seed: 1);
        int seen = 0;
        var trainer = new Trainer(model, optim.SGD(model.parameters(), 0.01), new TrainerOptions { Epochs = 1, BatchSize = 16, Threads = 2 });
        trainer.Callbacks.Add(new ThreadProbe(() => seen = get_num_threads()));
        trainer.Fit(train);
        Assert.Equal(2, seen);
        Assert.Equal(before, get_num_threads());
    }

    private sealed class ThreadProbe(Action probe) : ITrainingCallback
    {
        public void OnCheck(Trainer trainer, HistoryRecord record) => probe();
        public void OnTrainEnd(Trainer trainer) { }
    }
}

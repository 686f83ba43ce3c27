using System;
using System.Collections.Generic;
using System.Diagnostics;
using ModelDsl.Augmentation;
using ModelDsl.Data;
using ModelDsl.Training;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// <c>data-path</c> sub-command: what share of a CNN training step the Trainer spends outside forward/backward/step, on
/// the batch itself: gathering 64 MNIST-sized rows of a 55,000-row set by a shuffled index (index_select) and
/// <see cref="AugmentationPresets.Digits"/> (shift ±2 px, rotation ±10°, zoom ±10 %, stretch ±5 %), against the
/// <see cref="CardCnn"/> training step on the same batch, one thread, interleaved rounds; the share is the median of
/// the per-round shares, with quartiles. Then the same through the <see cref="Trainer"/> with
/// <see cref="TrainerOptions.NumWorkers"/> 0 (the batch prepared before each step) against 1 (prepared on a worker
/// thread during the previous step): the ratio of the time per step, median and quartiles of the per-round ratios.
/// </summary>
internal static class DataPathShare
{
    public static int Run(int rounds, int callsPerBlock)
    {
        set_num_threads(1);
        TorchNative.EnsureLoaded();
        using Tensor images = rand(55_000, 1, 28, 28);
        using Tensor order = randperm(55_000);
        IAugmentation augmentation = AugmentationPresets.Digits();
        using var generator = new TorchSharp.torch.Generator(1);
        using var workload = new Workload(new CardCnn(seed: 1), new long[] { OverheadPairs.CnnBatch, 1, 28, 28 });
        long start = 0;

        double Gather(bool augment)
        {
            long begin = Stopwatch.GetTimestamp();
            for (int i = 0; i < callsPerBlock; i++)
            {
                using var scope = NewDisposeScope();
                Tensor x = images.index_select(0, order.narrow(0, start, OverheadPairs.CnnBatch));
                if (augment) x = augmentation.Apply(x, generator);
                x.ReadCpuSingle(0);
                start = (start + OverheadPairs.CnnBatch) % (55_000 - OverheadPairs.CnnBatch);
            }
            return Stopwatch.GetElapsedTime(begin).TotalMilliseconds / callsPerBlock;
        }
        double Step()
        {
            long begin = Stopwatch.GetTimestamp();
            for (int i = 0; i < callsPerBlock; i++) workload.TrainStep();
            return Stopwatch.GetElapsedTime(begin).TotalMilliseconds / callsPerBlock;
        }
        Gather(true);
        Step();
        var shares = new double[rounds];
        double gatherSum = 0, augmentSum = 0, stepSum = 0;
        for (int r = 0; r < rounds; r++)
        {
            double gather = Gather(false), augmented = Gather(true), step = Step();
            gatherSum += gather;
            augmentSum += augmented;
            stepSum += step;
            shares[r] = augmented / (augmented + step);
        }
        Array.Sort(shares);
        Console.WriteLine($"MNIST CNN, batch {OverheadPairs.CnnBatch}, 1 thread, {rounds} rounds of {callsPerBlock} calls, interleaved");
        Console.WriteLine($"per batch: gather {gatherSum / rounds:F3} ms, gather + Digits augmentation {augmentSum / rounds:F3} ms; training step {stepSum / rounds:F2} ms");
        Console.WriteLine($"share of a step spent on the batch (gather + augmentation): median {100 * shares[rounds / 2]:F1} % (quartiles {100 * shares[rounds / 4]:F1}–{100 * shares[3 * rounds / 4]:F1} %)");
        return TrainerWorkers(rounds, callsPerBlock);
    }

    /// <summary>
    /// The same batch through the Trainer, <see cref="TrainerOptions.NumWorkers"/> 0 against 1: each block is one epoch of
    /// <paramref name="steps"/> + 1 batches, timed from the end of its first step to the end of its last (the first batch of
    /// an epoch is prepared before any step can overlap it, and Fit's own setup is left out), the sides alternating with the
    /// order swapped every round. The first round's histories must be identical (both models start from the same weights).
    /// </summary>
    private static int TrainerWorkers(int rounds, int steps)
    {
        int batch = OverheadPairs.CnnBatch;
        using var data = new LabeledData(rand(batch * (steps + 1), 1, 28, 28), randint(0, 10, new long[] { batch * (steps + 1) }));
        var sides = new[] { new TrainerSide(0), new TrainerSide(1) };
        sides[0].Fit(data, 0);
        sides[1].Fit(data, 0);
        if (sides[0].History != sides[1].History)
        {
            Console.Error.WriteLine("NumWorkers 0 and 1 gave different histories from the same weights and seed.");
            return 1;
        }
        var ratios = new double[rounds];
        var times = new[] { new double[rounds], new double[rounds] };
        for (int r = 0; r < rounds; r++)
        {
            foreach (int side in r % 2 == 0 ? new[] { 0, 1 } : new[] { 1, 0 }) times[side][r] = sides[side].Fit(data, r + 1);
            ratios[r] = times[1][r] / times[0][r];
        }
        Array.Sort(ratios);
        Array.Sort(times[0]);
        Array.Sort(times[1]);
        Console.WriteLine($"Trainer, same CNN, batch {batch}, Digits augmentation, 1 intra-op thread, {rounds} rounds of one {steps + 1}-batch epoch per side, interleaved");
        Console.WriteLine($"median per step after the first: NumWorkers 0 {times[0][rounds / 2]:F2} ms, NumWorkers 1 {times[1][rounds / 2]:F2} ms (histories of the first epoch identical)");
        Console.WriteLine($"NumWorkers 1 ÷ 0: median {ratios[rounds / 2]:F3} (quartiles {ratios[rounds / 4]:F3}–{ratios[3 * rounds / 4]:F3})");
        return 0;
    }

    /// <summary>One side of the comparison: its own model and optimizer, trained one epoch per <see cref="Fit"/>.</summary>
    private sealed class TrainerSide
    {
        private readonly int workers;
        private readonly CardCnn model = new(seed: 1);
        private readonly optim.Optimizer optimizer;

        public TrainerSide(int workers)
        {
            this.workers = workers;
            optimizer = optim.SGD(model.parameters(), learningRate: 0.01);
        }

        public string History { get; private set; } = "";

        /// <summary>Trains one epoch (seed <paramref name="seed"/>) and returns the mean time per step after the first, in ms.</summary>
        public double Fit(LabeledData data, int seed)
        {
            var clock = new StepClock();
            var trainer = new Trainer(model, optimizer, new TrainerOptions
            {
                Epochs = 1, BatchSize = OverheadPairs.CnnBatch, Seed = seed, Threads = 1, NumWorkers = workers,
                Augmentation = AugmentationPresets.Digits(), Progress = clock,
            });
            trainer.Fit(data);
            History = trainer.History.ToCsv();
            return clock.MillisecondsPerStepAfterTheFirst;
        }
    }

    /// <summary>Timestamps the end of every step.</summary>
    private sealed class StepClock : IProgressReporter
    {
        private readonly List<long> ends = new();

        public double MillisecondsPerStepAfterTheFirst => Stopwatch.GetElapsedTime(ends[0], ends[^1]).TotalMilliseconds / (ends.Count - 1);

        public void Run(Action fit) => fit();
        public void EpochStarted(int epoch, int epochs, int batches) { }
        public void BatchFinished(double runningLoss) => ends.Add(Stopwatch.GetTimestamp());
        public void Checked(HistoryRecord record) { }
        public void EpochFinished(int epoch) { }
    }
}

using System;
using System.Diagnostics;
using ModelDsl.Augmentation;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// <c>data-path</c> sub-command: what share of a CNN training step the Trainer spends outside forward/backward/step, on
/// the batch itself: gathering 64 MNIST-sized rows of a 55,000-row set by a shuffled index (index_select) and
/// <see cref="AugmentationPresets.Digits"/> (shift ±2 px, rotation ±10°, zoom ±10 %, stretch ±5 %), against the
/// <see cref="CardCnn"/> training step on the same batch, one thread, interleaved rounds; the share is the median of
/// the per-round shares, with quartiles.
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
        return 0;
    }
}

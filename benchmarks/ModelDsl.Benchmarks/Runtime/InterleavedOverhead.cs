using System;
using System.Diagnostics;
using System.Linq;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// <c>overhead</c> sub-command: the subject/baseline ratio of an <see cref="OverheadPairs"/> pair (generated/hand-written,
/// or with/without Penalty()) measured the way a loaded machine allows. The two workloads alternate in short blocks
/// (order swapped every round), so both see the same background load; the ratio is the median of the per-round ratios.
/// BenchmarkDotNet's Ratio column runs them minutes apart instead.
/// </summary>
internal static class InterleavedOverhead
{
    public static int Run(int rounds, int stepsPerBlock, string variant)
    {
        set_num_threads(MlpOverheadBenchmarks.Threads);
        TorchNative.EnsureLoaded();
        foreach (string name in variant == "all" ? OverheadPairs.Names : new[] { variant })
        {
            using OverheadPairs.Pair pair = OverheadPairs.Create(name, seed: 42);
            Console.WriteLine($"{pair.Title}, {get_num_threads()} thread(s), {rounds} rounds of {stepsPerBlock} calls per model, interleaved"
                + (Workload.CollectEverySteps > 0 ? $", a gen-0 collection every {Workload.CollectEverySteps} training steps per model" : "")
                + (Workload.Autocast ? ", training steps under bfloat16 autocast" : ""));
            // With and without Penalty() share the forward pass: only the training step differs.
            if (!name.StartsWith("penalty", StringComparison.Ordinal)) Report("forward (eval, no grad)", pair, rounds, stepsPerBlock, w => w.Forward());
            Report("train step (forward+backward+SGD)", pair, rounds, stepsPerBlock, w => w.TrainStep());
        }
        return 0;
    }

    private static void Report(string what, OverheadPairs.Pair pair, int rounds, int steps, Func<Workload, float> call)
    {
        Func<float> generated = () => call(pair.Subject), handWritten = () => call(pair.Baseline);
        for (int i = 0; i < steps; i++) { generated(); handWritten(); } // warm-up
        var ratios = new double[rounds];
        var gTimes = new double[rounds];
        var hTimes = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            if (r % 2 == 0)
            {
                gTimes[r] = Time(generated, steps);
                hTimes[r] = Time(handWritten, steps);
            }
            else
            {
                hTimes[r] = Time(handWritten, steps);
                gTimes[r] = Time(generated, steps);
            }
            ratios[r] = gTimes[r] / hTimes[r];
        }
        string s = pair.SubjectName, b = pair.BaselineName;
        Console.WriteLine($"{what}: {s} {Median(gTimes) * 1000:F3} ms, {b} {Median(hTimes) * 1000:F3} ms per call; " +
                          $"ratio {s}/{b} median {Median(ratios):F3} (quartiles {Quantile(ratios, 0.25):F3}–{Quantile(ratios, 0.75):F3})");
    }

    /// <summary>Seconds per call over a block of calls.</summary>
    private static double Time(Func<float> call, int steps)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < steps; i++) call();
        return Stopwatch.GetElapsedTime(start).TotalSeconds / steps;
    }

    internal static double Median(double[] values) => Quantile(values, 0.5);

    internal static double Quantile(double[] values, double q)
    {
        double[] sorted = values.OrderBy(v => v).ToArray();
        return sorted[(int)Math.Round(q * (sorted.Length - 1))];
    }
}

using System;
using System.Diagnostics;
using System.Linq;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// <c>overhead</c> sub-command: the generated/hand-written ratio measured the way a loaded machine allows. The two
/// models alternate in short blocks (order swapped every round), so both see the same background load; the ratio is
/// the median of the per-round ratios. BenchmarkDotNet's Ratio column runs them minutes apart instead.
/// </summary>
internal static class InterleavedOverhead
{
    public static int Run(int rounds, int stepsPerBlock)
    {
        set_num_threads(MlpOverheadBenchmarks.Threads);
        TorchNative.EnsureLoaded();
        (CardMlp g, HandWrittenMlp h) = Workload.Pair(seed: 42);
        using var generated = new Workload(g);
        using var handWritten = new Workload(h);
        Console.WriteLine($"card MLP, batch {Workload.Batch}, {get_num_threads()} thread(s), {rounds} rounds of {stepsPerBlock} calls per model, interleaved");
        Report("forward (eval, no grad)", rounds, stepsPerBlock, () => generated.Forward(), () => handWritten.Forward());
        Report("train step (forward+backward+SGD)", rounds, stepsPerBlock, () => generated.TrainStep(), () => handWritten.TrainStep());
        return 0;
    }

    private static void Report(string what, int rounds, int steps, Func<float> generated, Func<float> handWritten)
    {
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
        Console.WriteLine($"{what}: generated {Median(gTimes) * 1000:F3} ms, hand-written {Median(hTimes) * 1000:F3} ms per call; " +
                          $"ratio generated/hand-written median {Median(ratios):F3} (quartiles {Quantile(ratios, 0.25):F3}–{Quantile(ratios, 0.75):F3})");
    }

    /// <summary>Seconds per call over a block of calls.</summary>
    private static double Time(Func<float> call, int steps)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < steps; i++) call();
        return Stopwatch.GetElapsedTime(start).TotalSeconds / steps;
    }

    private static double Median(double[] values) => Quantile(values, 0.5);

    private static double Quantile(double[] values, double q)
    {
        double[] sorted = values.OrderBy(v => v).ToArray();
        return sorted[(int)Math.Round(q * (sorted.Length - 1))];
    }
}

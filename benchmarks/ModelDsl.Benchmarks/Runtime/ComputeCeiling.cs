using System;
using System.Diagnostics;
using System.Linq;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// <c>ceiling</c> sub-command: this machine's float32 matmul throughput through TorchSharp (a square n×n matmul,
/// 2·n³ FLOPs), and the card MLP's training step measured in the same process, as achieved matmul FLOP/s and a
/// fraction of that ceiling, for 1 thread and for every core.
/// </summary>
internal static class ComputeCeiling
{
    public static int Run(int n, int repeats, int trainSteps)
    {
        TorchNative.EnsureLoaded();
        foreach (int threads in new[] { 1, Environment.ProcessorCount }.Distinct())
        {
            set_num_threads(threads);
            double matmul = MatmulFlops(n, repeats);
            using var workload = new Workload(new CardMlp(seed: 3));
            for (int i = 0; i < 10; i++) workload.TrainStep(); // warm-up
            double stepSeconds = MedianSeconds(trainSteps, () => workload.TrainStep());
            double achieved = Workload.TrainStepMatmulFlops / stepSeconds;
            Console.WriteLine($"{threads} thread(s): matmul {n}×{n} float32 {matmul / 1e9:F1} GFLOP/s; " +
                              $"MLP train step {stepSeconds * 1000:F3} ms = {Workload.TrainStepMatmulFlops / 1e6:F1} MFLOP of matmul → " +
                              $"{achieved / 1e9:F1} GFLOP/s, {100 * achieved / matmul:F0}% of the matmul ceiling");
        }
        return 0;
    }

    private static double MatmulFlops(int n, int repeats)
    {
        using var scope = NewDisposeScope();
        Tensor a = randn(n, n), b = randn(n, n);
        double seconds = MedianSeconds(repeats + 1, () =>
        {
            using var inner = NewDisposeScope();
            return a.matmul(b).ReadCpuSingle(0);
        });
        return 2.0 * n * n * n / seconds;
    }

    /// <summary>Median seconds of single calls; the first call is dropped as warm-up.</summary>
    private static double MedianSeconds(int calls, Func<float> call)
    {
        call();
        double[] times = Enumerable.Range(0, calls).Select(_ =>
        {
            long start = Stopwatch.GetTimestamp();
            call();
            return Stopwatch.GetElapsedTime(start).TotalSeconds;
        }).OrderBy(t => t).ToArray();
        return times[times.Length / 2];
    }
}

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// The card's MLP as generated vs the same network written by hand in TorchSharp: same weights (copied), same batch
/// (128×784), same thread count, same process. The hand-written model is the baseline of each category, so the Ratio
/// column is generated / hand-written (goal ≤ 1.02).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class MlpOverheadBenchmarks
{
    /// <summary>One intra-op thread: the machine is shared, and one thread is the least noisy comparison.</summary>
    public const int Threads = 1;

    private Workload generated = null!;
    private Workload handWritten = null!;

    [GlobalSetup]
    public void Setup()
    {
        set_num_threads(Threads);
        TorchNative.EnsureLoaded();
        (CardMlp g, HandWrittenMlp h) = Workload.Pair(seed: 42);
        generated = new Workload(g);
        handWritten = new Workload(h);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        generated.Dispose();
        handWritten.Dispose();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Forward")]
    public float ForwardHandWritten() => handWritten.Forward();

    [Benchmark, BenchmarkCategory("Forward")]
    public float ForwardGenerated() => generated.Forward();

    [Benchmark(Baseline = true), BenchmarkCategory("TrainStep")]
    public float TrainStepHandWritten() => handWritten.TrainStep();

    [Benchmark, BenchmarkCategory("TrainStep")]
    public float TrainStepGenerated() => generated.TrainStep();
}

using BenchmarkDotNet.Attributes;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// What Penalty() adds to a training step (goal &lt; 3%): the card MLP with two weight-decay groups, one step with
/// <c>loss + Penalty()</c> vs one with the loss alone (baseline), same weights, same batch, one thread.
/// </summary>
[MemoryDiagnoser]
public class PenaltyBenchmarks
{
    private OverheadPairs.Pair pair = null!;

    [GlobalSetup]
    public void Setup()
    {
        set_num_threads(MlpOverheadBenchmarks.Threads);
        TorchNative.EnsureLoaded();
        pair = OverheadPairs.Penalty(seed: 42);
    }

    [GlobalCleanup]
    public void Cleanup() => pair.Dispose();

    [Benchmark(Baseline = true)]
    public float TrainStep() => pair.Baseline.TrainStep();

    [Benchmark]
    public float TrainStepWithPenalty() => pair.Subject.TrainStep();
}

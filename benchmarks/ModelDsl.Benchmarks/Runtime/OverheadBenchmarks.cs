using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// One <see cref="OverheadPairs"/> pair under BenchmarkDotNet: forward and training step of the subject (generated) and the
/// baseline (hand-written), same weights, same batch, one thread, same process. The baseline is each category's Baseline,
/// so the Ratio column is generated / hand-written (goal ≤ 1.02).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public abstract class OverheadBenchmarks
{
    private OverheadPairs.Pair pair = null!;

    /// <summary>Which pair (an <see cref="OverheadPairs.Names"/> entry).</summary>
    protected abstract string Variant { get; }

    [GlobalSetup]
    public void Setup()
    {
        set_num_threads(MlpOverheadBenchmarks.Threads);
        TorchNative.EnsureLoaded();
        pair = OverheadPairs.Create(Variant, seed: 42);
    }

    [GlobalCleanup]
    public void Cleanup() => pair.Dispose();

    [Benchmark(Baseline = true), BenchmarkCategory("Forward")]
    public float ForwardHandWritten() => pair.Baseline.Forward();

    [Benchmark, BenchmarkCategory("Forward")]
    public float ForwardGenerated() => pair.Subject.Forward();

    [Benchmark(Baseline = true), BenchmarkCategory("TrainStep")]
    public float TrainStepHandWritten() => pair.Baseline.TrainStep();

    [Benchmark, BenchmarkCategory("TrainStep")]
    public float TrainStepGenerated() => pair.Subject.TrainStep();
}

/// <summary>examples/MnistCnn's network, batch 64: generated vs hand-written.</summary>
public class CnnOverheadBenchmarks : OverheadBenchmarks
{
    protected override string Variant => "cnn";
}

/// <summary>examples/ResNetMnist's network, batch 64: generated [Residual] blocks vs hand-written BasicBlocks.</summary>
public class ResNetOverheadBenchmarks : OverheadBenchmarks
{
    protected override string Variant => "resnet";
}

/// <summary>examples/InceptionMnist's graph network, batch 64: a generated [Block] template used three times vs hand-written modules.</summary>
public class InceptionOverheadBenchmarks : OverheadBenchmarks
{
    protected override string Variant => "inception";
}

/// <summary>A DenseNet-style dense block, batch 64: generated concatenations vs hand-written.</summary>
public class DenseNetOverheadBenchmarks : OverheadBenchmarks
{
    protected override string Variant => "densenet";
}

/// <summary>The generated 8-member loop-form ensemble vs a hand-written loop over 8 members and the mean.</summary>
public class EnsembleOverheadBenchmarks : OverheadBenchmarks
{
    protected override string Variant => "ensemble";
}

/// <summary>examples/SequentialMnist's LSTM, batch 128: generated vs hand-written.</summary>
public class LstmOverheadBenchmarks : OverheadBenchmarks
{
    protected override string Variant => "lstm";
}

/// <summary>examples/VitMnist's Vision Transformer, batch 128: generated vs hand-written.</summary>
public class TransformerOverheadBenchmarks : OverheadBenchmarks
{
    protected override string Variant => "transformer";
}

/// <summary>A small GPT (causal blocks, tied head), batch 32 × 128: generated vs hand-written nanoGPT-style TorchSharp.</summary>
public class GptOverheadBenchmarks : OverheadBenchmarks
{
    protected override string Variant => "gpt";
}

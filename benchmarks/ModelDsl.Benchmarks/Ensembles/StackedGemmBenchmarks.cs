using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Ensembles;

/// <summary>
/// Whether stacking 8 members' GEMMs can beat running them one by one on this CPU (benchmarks-ensembles.md, "Why"):
/// one batched matmul against 8 matmuls of the second layer's shape, and one wide GEMM over the shared input against 8
/// of the first layer's shape. Forward only, single-threaded libtorch; the arithmetic is identical within each pair.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class StackedGemmBenchmarks
{
    private const int K = 8;
    private Tensor hidden = null!, stacked = null!, input = null!, wide = null!;
    private Tensor[] hiddens = null!, weights = null!, firstWeights = null!;

    [GlobalSetup]
    public void Setup()
    {
        set_num_threads(1);
        using var g = new TorchSharp.torch.Generator(5, CPU);
        hidden = rand(new long[] { K, 128, 256 }, generator: g).DetachFromDisposeScope();
        stacked = rand(new long[] { K, 256, 256 }, generator: g).DetachFromDisposeScope();
        hiddens = Enumerable.Range(0, K).Select(i => hidden[i].contiguous().DetachFromDisposeScope()).ToArray();
        weights = Enumerable.Range(0, K).Select(i => stacked[i].contiguous().DetachFromDisposeScope()).ToArray();
        input = rand(new long[] { 128, 784 }, generator: g).DetachFromDisposeScope();
        wide = rand(new long[] { K * 256, 784 }, generator: g).DetachFromDisposeScope();
        firstWeights = Enumerable.Range(0, K).Select(i => wide.narrow(0, i * 256, 256).contiguous().DetachFromDisposeScope()).ToArray();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("layer 2: 8 × [128, 256] × [256, 256]")]
    public void EightMatmuls()
    {
        using var scope = NewDisposeScope();
        for (int i = 0; i < K; i++) hiddens[i].mm(weights[i]);
    }

    [Benchmark, BenchmarkCategory("layer 2: 8 × [128, 256] × [256, 256]")]
    public void OneBatchedMatmul()
    {
        using var scope = NewDisposeScope();
        hidden.bmm(stacked);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("layer 1: shared [128, 784] input, 8 × 256 outputs")]
    public void EightLinears()
    {
        using var scope = NewDisposeScope();
        for (int i = 0; i < K; i++) nn.functional.linear(input, firstWeights[i]);
    }

    [Benchmark, BenchmarkCategory("layer 1: shared [128, 784] input, 8 × 256 outputs")]
    public void OneWideLinear()
    {
        using var scope = NewDisposeScope();
        nn.functional.linear(input, wide);
    }
}

using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Ensembles;

/// <summary>
/// One training step's forward + backward for 8 members, loop form (8 separate members, Ensemble&lt;T&gt;) against the vectorized
/// form (VectorizedDenseStack, one batched matmul per layer), both built from the same seeds. Gradients are reset each step
/// in both forms. Single-threaded libtorch, so the numbers do not depend on how busy the shared machine's other core is.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class VectorizedEnsembleBenchmarks
{
    private const int K = 8;
    private nn.Module<Tensor, Tensor> smallLoop = null!, smallVectorized = null!, mnistLoop = null!, mnistVectorized = null!;
    private Tensor smallX = null!, smallY = null!, mnistX = null!, mnistY = null!;

    [GlobalSetup]
    public void Setup()
    {
        set_num_threads(1);
        smallVectorized = new SmallMlpEnsemble();
        smallLoop = new Ensemble<SmallMlp>(Enumerable.Range(0, K).Select(i => new SmallMlp(EnsembleSeeds.ForMember(SmallMlpEnsemble.DefaultSeed, i))),
            new EnsembleAggregator(K, Aggregation.Mean));
        mnistVectorized = new MnistMlpEnsemble();
        mnistLoop = new Ensemble<MnistMlp>(Enumerable.Range(0, K).Select(i => new MnistMlp(EnsembleSeeds.ForMember(MnistMlpEnsemble.DefaultSeed, i))),
            new EnsembleAggregator(K, Aggregation.SoftVote));
        using var g = new TorchSharp.torch.Generator(7, CPU);
        smallX = randn(new long[] { 64, 16 }, generator: g).DetachFromDisposeScope();
        smallY = randn(new long[] { 64, 1 }, generator: g).DetachFromDisposeScope();
        mnistX = rand(new long[] { 128, 784 }, generator: g).DetachFromDisposeScope();
        mnistY = nn.functional.one_hot(randint(0, 10, new long[] { 128 }, generator: g), 10).to(ScalarType.Float32).DetachFromDisposeScope();
    }

    private static void Step(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        model.zero_grad();
        (model.forward(x) - y).pow(2).mean().backward();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("a: 16-64-64-1, batch 64")]
    public void SmallLoop() => Step(smallLoop, smallX, smallY);

    [Benchmark, BenchmarkCategory("a: 16-64-64-1, batch 64")]
    public void SmallVectorized() => Step(smallVectorized, smallX, smallY);

    [Benchmark(Baseline = true), BenchmarkCategory("b: 784-256-256-10, batch 128")]
    public void MnistLoop() => Step(mnistLoop, mnistX, mnistY);

    [Benchmark, BenchmarkCategory("b: 784-256-256-10, batch 128")]
    public void MnistVectorized() => Step(mnistVectorized, mnistX, mnistY);
}

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// The card's MLP as generated vs the same network written by hand in TorchSharp: same weights (copied), same batch
/// (128×784), same thread count, same process. The hand-written model is the baseline of each category, so the Ratio
/// column is generated / hand-written (goal ≤ 1.02).
/// </summary>
public class MlpOverheadBenchmarks : OverheadBenchmarks
{
    /// <summary>One intra-op thread: the machine is shared, and one thread is the least noisy comparison.</summary>
    public const int Threads = 1;

    protected override string Variant => "mlp";
}

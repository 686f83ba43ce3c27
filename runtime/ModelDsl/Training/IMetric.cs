using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// A per-batch metric. The trainer averages <see cref="Compute"/> over batches weighted by batch size, so a
/// metric must be a mean over the samples of a batch (accuracy, mean absolute error, …).
/// </summary>
public interface IMetric
{
    /// <summary>The history key for training values; validation values get the prefix <c>val_</c>.</summary>
    string Name { get; }

    /// <summary>Whether a larger value is better (early stopping infers its mode from this when it monitors the metric).</summary>
    bool HigherIsBetter { get; }

    /// <summary>The batch mean for <paramref name="output"/> [B, …] against <paramref name="labels"/> [B]. Called with no grad.</summary>
    double Compute(Tensor output, Tensor labels);
}

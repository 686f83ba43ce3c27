using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>Loss helpers with the chapter's label regularizers.</summary>
public static class Losses
{
    /// <summary>
    /// Cross-entropy on logits with label smoothing ε and label noise (a fraction of labels flipped per training batch).
    /// <c>var loss = Losses.CrossEntropy(labelSmoothing: 0.1); loss.call(logits, labels)</c>.
    /// </summary>
    public static RegularizedCrossEntropy CrossEntropy(double labelSmoothing = 0, double labelNoise = 0, Generator? generator = null)
        => new(labelSmoothing, labelNoise, generator);
}

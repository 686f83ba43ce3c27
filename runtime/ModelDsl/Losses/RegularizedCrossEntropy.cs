using System;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Cross-entropy on logits with the chapter's label regularizers (5.9): label smoothing ε (TorchSharp's own
/// <c>label_smoothing</c>: the target becomes (1 − ε)·one-hot + ε/K) and label noise (in training mode only, a
/// <see cref="LabelNoise"/> fraction of each batch's labels is flipped to another class). Switch it with train()/eval()
/// like any module; it starts in training mode.
/// </summary>
public sealed class RegularizedCrossEntropy : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Generator? generator;

    /// <summary>Creates the loss; <paramref name="labelSmoothing"/> in [0, 1], <paramref name="labelNoise"/> in [0, 1).</summary>
    public RegularizedCrossEntropy(double labelSmoothing = 0, double labelNoise = 0, Generator? generator = null) : base(nameof(RegularizedCrossEntropy))
    {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "CrossEntropy: labelSmoothing must be in [0, 1].");
        if (!(labelNoise >= 0 && labelNoise < 1)) throw new ArgumentOutOfRangeException(nameof(labelNoise), labelNoise, "CrossEntropy: labelNoise must be in [0, 1).");
        LabelSmoothing = labelSmoothing;
        LabelNoiseFraction = labelNoise;
        this.generator = generator;
    }

    /// <summary>ε of label smoothing.</summary>
    public double LabelSmoothing { get; }

    /// <summary>The fraction of labels flipped per batch in training.</summary>
    public double LabelNoiseFraction { get; }

    /// <summary>Mean cross-entropy of <paramref name="logits"/> [B, K] against class indices <paramref name="labels"/> [B].</summary>
    public override Tensor forward(Tensor logits, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        if (logits.dim() != 2 || labels.dim() != 1 || labels.shape[0] != logits.shape[0])
            throw new ShapeMismatchException(nameof(RegularizedCrossEntropy), "logits [B, K] and labels [B]", $"[{string.Join(", ", logits.shape)}] and [{string.Join(", ", labels.shape)}]");
        if (!training || LabelNoiseFraction == 0)
            return nn.functional.cross_entropy(logits, labels, label_smoothing: LabelSmoothing);
        using Tensor noisy = LabelNoise.Flip(labels, logits.shape[1], LabelNoiseFraction, generator);
        return nn.functional.cross_entropy(logits, noisy, label_smoothing: LabelSmoothing);
    }
}

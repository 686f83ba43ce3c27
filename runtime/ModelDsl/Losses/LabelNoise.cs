using System;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Label noise (chapter 5.9): each label is replaced, with probability <c>fraction</c>, by a class drawn uniformly from
/// the <em>other</em> classes, so exactly the flipped labels are wrong. Used by <see cref="RegularizedCrossEntropy"/>
/// in training.
/// </summary>
public static class LabelNoise
{
    /// <summary>Returns new int64 labels with about <paramref name="fraction"/> of them flipped; <paramref name="labels"/> is untouched.</summary>
    public static Tensor Flip(Tensor labels, long classes, double fraction, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "LabelNoise: flipping needs at least 2 classes.");
        if (!(fraction >= 0 && fraction <= 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "LabelNoise: fraction must be in [0, 1].");
        using var scope = NewDisposeScope();
        Tensor flip = empty(labels.shape, ScalarType.Float32, labels.device).bernoulli_(fraction, generator).to(ScalarType.Bool);
        // An offset in [1, classes − 1] added modulo classes gives a uniform class different from the original.
        Tensor offset = randint(1, classes, labels.shape, generator: generator, dtype: ScalarType.Int64, device: labels.device);
        Tensor flipped = (labels.to(ScalarType.Int64) + offset).remainder(classes);
        return where(flip, flipped, labels.to(ScalarType.Int64)).MoveToOuterDisposeScope();
    }
}

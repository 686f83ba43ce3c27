using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// Flips each sample independently with probability <see cref="Probability"/>. Written by hand because TorchSharp's
/// RandomHorizontalFlip/RandomVerticalFlip draw once per call and flip the whole batch together.
/// </summary>
public sealed class RandomFlip : IAugmentation
{
    /// <summary>A horizontal (left-right) or vertical (up-down) flip.</summary>
    public RandomFlip(bool horizontal = true, double probability = 0.5)
    {
        Horizontal = horizontal;
        Probability = probability;
    }

    /// <summary>Left-right when true, up-down when false.</summary>
    public bool Horizontal { get; }

    /// <summary>Chance that a sample is flipped.</summary>
    public double Probability { get; }

    /// <inheritdoc/>
    public Tensor Apply(Tensor batch, Generator generator)
    {
        ImageBatch.Require(batch, nameof(RandomFlip));
        Tensor flip = (rand(new long[] { batch.shape[0] }, generator: generator, device: batch.device) < Probability).view(-1, 1, 1, 1);
        return where(flip, batch.flip(Horizontal ? 3 : 2), batch);
    }
}

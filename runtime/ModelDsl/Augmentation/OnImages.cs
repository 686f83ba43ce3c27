using System.Linq;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>Lets image transforms work on flat inputs (e.g. MNIST as [B, 784] for an MLP): reshape to [B, C, H, W], transform, reshape back.</summary>
public sealed class OnImages : IAugmentation
{
    private readonly IAugmentation inner;
    private readonly long[] image;

    /// <summary>Views each sample as <paramref name="channels"/>×<paramref name="height"/>×<paramref name="width"/>.</summary>
    public OnImages(IAugmentation inner, long channels, long height, long width)
    {
        this.inner = inner;
        image = new[] { channels, height, width };
    }

    /// <inheritdoc/>
    public Tensor Apply(Tensor batch, Generator generator)
    {
        using var scope = NewDisposeScope();
        Tensor images = batch.reshape(new[] { batch.shape[0] }.Concat(image).ToArray());
        return inner.Apply(images, generator).reshape(batch.shape).MoveToOuterDisposeScope();
    }
}

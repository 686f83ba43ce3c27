using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>Applies transforms one after another (each draws from the same generator, in order).</summary>
public sealed class Compose : IAugmentation
{
    /// <summary>Chains <paramref name="transforms"/>.</summary>
    public Compose(params IAugmentation[] transforms) => Transforms = transforms.ToArray();

    /// <summary>The transforms in order.</summary>
    public IReadOnlyList<IAugmentation> Transforms { get; }

    /// <inheritdoc/>
    public Tensor Apply(Tensor batch, Generator generator)
    {
        using var scope = NewDisposeScope();
        Tensor x = batch;
        foreach (var transform in Transforms) x = transform.Apply(x, generator);
        return (ReferenceEquals(x, batch) ? x.clone() : x).MoveToOuterDisposeScope();
    }
}

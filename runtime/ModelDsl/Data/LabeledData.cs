using System;
using static TorchSharp.torch;

namespace ModelDsl.Data;

/// <summary>
/// Inputs and integer class labels held in memory as two tensors with the same first dimension. Owns both:
/// they live outside any dispose scope until <see cref="Dispose"/>.
/// </summary>
public sealed class LabeledData : IDisposable
{
    /// <summary>Takes ownership of <paramref name="inputs"/> [N, ...] and <paramref name="labels"/> [N] (int64).</summary>
    public LabeledData(Tensor inputs, Tensor labels)
    {
        if (inputs.shape.Length == 0 || labels.shape.Length != 1 || inputs.shape[0] != labels.shape[0])
        {
            throw new ArgumentException(
                $"LabeledData: expected inputs [N, ...] and labels [N] with the same N, got inputs [{string.Join(", ", inputs.shape)}] and labels [{string.Join(", ", labels.shape)}].");
        }
        Inputs = inputs.DetachFromDisposeScope();
        Labels = labels.DetachFromDisposeScope();
    }

    /// <summary>The inputs, [N, ...].</summary>
    public Tensor Inputs { get; }

    /// <summary>The labels, [N] int64.</summary>
    public Tensor Labels { get; }

    /// <summary>Number of samples N.</summary>
    public long Count => Labels.shape[0];

    /// <summary>A copy of the samples <paramref name="start"/> … <paramref name="start"/>+<paramref name="count"/>−1.</summary>
    public LabeledData Slice(long start, long count)
    {
        if (start < 0 || count <= 0 || start + count > Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"LabeledData.Slice: [{start}, {start + count}) is outside [0, {Count}).");
        return new LabeledData(Inputs.narrow(0, start, count).clone(), Labels.narrow(0, start, count).clone());
    }

    /// <summary>The same samples with each input reshaped to <paramref name="sampleShape"/> (e.g. 784 for an MLP on 28×28 images).</summary>
    public LabeledData Reshape(params long[] sampleShape)
    {
        var shape = new long[sampleShape.Length + 1];
        shape[0] = Count;
        sampleShape.CopyTo(shape, 1);
        return new LabeledData(Inputs.reshape(shape).clone(), Labels.clone());
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Inputs.Dispose();
        Labels.Dispose();
    }
}

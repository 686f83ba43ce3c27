using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// The keys and values a causal <see cref="TransformerEncoder"/> has computed for the steps it has seen, one pair per
/// layer, so that generating the next token runs attention for that token only (the "KV cache" of GPT-2-style decoding,
/// PyTorch's <c>past_key_values</c>): each layer's keys and values are <c>[B, H, t, D/H]</c> for the t steps so far.
/// The tensors live outside any dispose scope until <see cref="Clear"/> or <see cref="Dispose"/>.
/// </summary>
public sealed class KeyValueCache : IDisposable
{
    private readonly List<(Tensor Keys, Tensor Values)?> layers = new();

    /// <summary>The steps cached (0 before the first forward).</summary>
    public long Length { get; private set; }

    /// <summary>Appends <paramref name="keys"/> and <paramref name="values"/> <c>[B, H, n, D/H]</c> of layer <paramref name="layer"/> to its cache and returns the whole <c>[B, H, t + n, D/H]</c>.</summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        while (layers.Count <= layer) layers.Add(null);
        var previous = layers[layer];
        if (previous is { } cached)
        {
            keys = cat(new[] { cached.Keys, keys }, 2);
            values = cat(new[] { cached.Values, values }, 2);
        }
        // The cache keeps aliases outside the caller's dispose scope; the caller goes on with its own.
        layers[layer] = (keys.detach().DetachFromDisposeScope(), values.detach().DetachFromDisposeScope());
        previous?.Keys.Dispose();
        previous?.Values.Dispose();
        return (keys, values);
    }

    /// <summary>The steps cached before this forward, for layer <paramref name="layer"/> (the offset of the new steps' positions).</summary>
    internal long Offset(int layer) => layer < layers.Count && layers[layer] is { } cached ? cached.Keys.shape[2] : 0;

    /// <summary>Records that a forward over <paramref name="steps"/> new steps finished (every layer appended them).</summary>
    internal void Advance(long steps) => Length += steps;

    /// <summary>Forgets every step (the tensors are disposed).</summary>
    public void Clear()
    {
        foreach (var entry in layers)
        {
            entry?.Keys.Dispose();
            entry?.Values.Dispose();
        }
        layers.Clear();
        Length = 0;
    }

    /// <inheritdoc/>
    public void Dispose() => Clear();
}

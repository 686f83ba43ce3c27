using System;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Adds a position code to each step of <c>[B, T, D]</c>: the fixed sinusoids of Vaswani et al. 2017 (§3.5),
/// PE(t, 2i) = sin(t / 10000^(2i/D)) and PE(t, 2i+1) = cos(t / 10000^(2i/D)), kept as the buffer <c>pe</c>; or, learned,
/// a parameter <c>pe</c> of shape [MaxLength, D] drawn from N(0, 0.02²) (BERT's and ViT's init). T may be shorter than
/// MaxLength; the first T rows are used. Written by hand because TorchSharp has no positional encoding module.
/// </summary>
public sealed partial class PositionalEncoding : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // the registered name
    private Tensor pe;
#pragma warning restore IDE1006

    /// <summary>Creates the encoding for up to <paramref name="maxLength"/> steps of width <paramref name="dimension"/>.</summary>
    /// <param name="maxLength">The longest sequence (T ≤ MaxLength).</param>
    /// <param name="dimension">D, the model width.</param>
    /// <param name="learned">A learned table instead of the fixed sinusoids.</param>
    /// <param name="dtype">Table type (float32 when null).</param>
    /// <param name="generator">Seeded draws for the learned table; null uses TorchSharp's global generator.</param>
    public PositionalEncoding(long maxLength, long dimension, bool learned = false, ScalarType? dtype = null, Generator? generator = null)
        : base(nameof(PositionalEncoding))
    {
        if (maxLength < 1 || dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension), $"PositionalEncoding sizes must be positive, but are {maxLength} × {dimension}");
        MaxLength = maxLength;
        Dimension = dimension;
        Learned = learned;
        ScalarType type = dtype ?? ScalarType.Float32;
        if (learned)
        {
            var table = new Parameter(empty(new[] { maxLength, dimension }, type));
            using (no_grad()) table.normal_(0, 0.02, generator);
            pe = table;
            register_parameter(nameof(pe), table);
        }
        else
        {
            pe = Sinusoids(maxLength, dimension).to(type).DetachFromDisposeScope();
            register_buffer(nameof(pe), pe);
        }
    }

    /// <summary>The longest sequence.</summary>
    public long MaxLength { get; }

    /// <summary>D.</summary>
    public long Dimension { get; }

    /// <summary>Learned table instead of sinusoids.</summary>
    public bool Learned { get; }

    /// <summary>The table [MaxLength, D] (the live registered tensor, also after to(dtype/device)).</summary>
    public Tensor Table => pe;

    /// <summary>The sinusoid table [length, D], computed in float64.</summary>
    public static Tensor Sinusoids(long length, long dimension)
    {
        using var scope = NewDisposeScope();
        Tensor position = arange(length, dtype: ScalarType.Float64).unsqueeze(1);                         // [T, 1]
        Tensor rate = exp(arange(0, dimension, 2, dtype: ScalarType.Float64) * (-Math.Log(10000.0) / dimension)); // [⌈D/2⌉]
        Tensor angles = position * rate;                                                                       // [T, ⌈D/2⌉]
        Tensor table = zeros(length, dimension, dtype: ScalarType.Float64);
        table.index_copy_(1, arange(0, dimension, 2), angles.sin());
        table.index_copy_(1, arange(1, dimension, 2), angles.cos().narrow(1, 0, dimension / 2));
        return table.MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    /// <exception cref="ShapeMismatchException">The input is not [B, T, D] with T ≤ MaxLength.</exception>
    public override Tensor forward(Tensor input)
    {
        long[] shape = input.shape;
        if (shape.Length != 3 || shape[2] != Dimension || shape[1] > MaxLength)
            throw new ShapeMismatchException(nameof(PositionalEncoding), $"[B, T ≤ {MaxLength}, {Dimension}]", ShapeMismatchException.Format(shape));
        // The generated model's table has exactly T rows: add it whole, without a narrowed view per step.
        if (shape[1] == MaxLength) return input + pe;
        using Tensor rows = pe.narrow(0, 0, shape[1]);
        return input + rows;
    }

    /// <summary>Adds the codes of positions <paramref name="offset"/> … <paramref name="offset"/> + T − 1 to <c>[B, T, D]</c>: the steps that follow <paramref name="offset"/> earlier ones (generation with a <see cref="KeyValueCache"/>).</summary>
    /// <exception cref="ShapeMismatchException">The input is not [B, T, D], or offset + T exceeds MaxLength.</exception>
    public Tensor forward(Tensor input, long offset)
    {
        long[] shape = input.shape;
        if (offset < 0 || shape.Length != 3 || shape[2] != Dimension || offset + shape[1] > MaxLength)
            throw new ShapeMismatchException(nameof(PositionalEncoding), $"[B, T ≤ {MaxLength - Math.Max(0, offset)}, {Dimension}] after {offset} steps", ShapeMismatchException.Format(shape));
        using Tensor rows = pe.narrow(0, offset, shape[1]);
        return input + rows;
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace Zoo;

/// <summary>
/// Weights and inputs computed bit for bit from a tensor's key alone, the C# twin of <c>parity/formula.py</c> (keep them
/// equal): PyTorch runs torchvision on them to write the committed fixtures, and the tests run the declarations on the
/// same numbers, so a full-size architecture is checked in CI without committing its weights.
/// Each value is splitmix64 (Steele, Lea and Flood 2014) of the element's flat index offset by a per-key phase, mapped
/// to u in [−1, 1) exactly, scaled in double and rounded once to float32 (the scale per tensor kind is in formula.py).
/// Hand-written: the point is a generator both NumPy and .NET compute identically, which no library here shares.
/// </summary>
public static class ZooFormula
{
    /// <summary>The key's phase: a polynomial hash of its characters modulo 1,000,003.</summary>
    public static long Phase(string key)
    {
        long h = 0;
        for (int i = 0; i < key.Length; i++) h = (h * 131 + key[i] * (long)(i + 1)) % 1_000_003;
        return h;
    }

    /// <summary>The tensor formula.py gives <paramref name="key"/> at <paramref name="shape"/> (float32, or int64 zeros for num_batches_tracked).</summary>
    public static Tensor Value(string key, long[] shape)
    {
        string leaf = key[(key.LastIndexOf('.') + 1)..];
        if (leaf == "num_batches_tracked") return zeros(shape, ScalarType.Int64);
        long count = shape.Aggregate(1L, (a, b) => a * b);
        ulong offset = (ulong)Phase(key) << 32;
        double fanIn = shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        var values = new float[count];
        for (long n = 0; n < count; n++)
        {
            double u = Uniform((ulong)n + offset);
            double v = leaf switch
            {
                "running_var" => 0.75 + 0.25 * u,
                "running_mean" or "bias" => 0.1 * u,
                _ when shape.Length >= 2 => u * Math.Sqrt(6.0 / fanIn),
                _ when shape.Length == 1 => 1.0 + 0.1 * u,
                _ => 0.1 * u,
            };
            values[n] = (float)v;
        }
        return tensor(values).reshape(shape);
    }

    /// <summary>The formula tensors for every key and shape of a state_dict (the model's own tensors are not touched).</summary>
    public static Dictionary<string, Tensor> StateDict(IEnumerable<(string Key, long[] Shape)> keys)
        => keys.ToDictionary(k => k.Key, k => Value(k.Key, k.Shape), StringComparer.Ordinal);

    private static double Uniform(ulong x)
    {
        unchecked
        {
            ulong z = x + 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (z >> 11) / (double)(1UL << 52) - 1.0;
        }
    }
}

using System;

namespace ModelDsl;

/// <summary>The layer kinds a <see cref="VectorizedDenseStack"/> can run for all members at once.</summary>
public enum VectorizedLayerKind
{
    /// <summary>A dense layer: stacked weights [k, in, out], one batched matmul.</summary>
    Dense,
    /// <summary>max(0, x).</summary>
    ReLU,
    /// <summary>x if x ≥ 0 else slope·x.</summary>
    LeakyReLU,
    /// <summary>tanh.</summary>
    Tanh,
    /// <summary>logistic sigmoid.</summary>
    Sigmoid,
    /// <summary>GELU (exact, erf form, as nn.GELU()).</summary>
    GELU,
    /// <summary>Softmax over the last dimension.</summary>
    Softmax,
    /// <summary>LogSoftmax over the last dimension.</summary>
    LogSoftmax,
    /// <summary>Inverted dropout (drop probability p).</summary>
    Dropout,
    /// <summary>Dropout with the weight-scaling inference rule (keep probability).</summary>
    WeightScalingDropout,
    /// <summary>Layer normalization over the features, with a per-member γ and β when affine.</summary>
    LayerNorm,
}

/// <summary>
/// One layer of a vectorized member stack, as the generator describes it (compile-time constants only). Factory methods
/// name the arguments each kind uses.
/// </summary>
public sealed record VectorizedLayer(VectorizedLayerKind Kind, long In, long Out, bool Bias, double Value, bool Affine)
{
    /// <summary>Dense in → out.</summary>
    public static VectorizedLayer Dense(long inFeatures, long outFeatures, bool bias = true)
        => inFeatures > 0 && outFeatures > 0 ? new(VectorizedLayerKind.Dense, inFeatures, outFeatures, bias, 0, false)
            : throw new ArgumentOutOfRangeException(nameof(outFeatures), $"Dense sizes must be positive, but are {inFeatures} → {outFeatures}");

    /// <summary>A parameter-free activation that keeps the width (<paramref name="slope"/> is LeakyReLU's).</summary>
    public static VectorizedLayer Activation(VectorizedLayerKind kind, long width, double slope = 0.01)
        => VectorizedLayerKinds.Find(kind) is { IsActivation: true }
            ? new(kind, width, width, false, kind == VectorizedLayerKind.LeakyReLU ? slope : 0, false)
            : throw new ArgumentException($"{kind} is not an activation", nameof(kind));

    /// <summary>Inverted dropout with drop probability <paramref name="rate"/>.</summary>
    public static VectorizedLayer Dropout(long width, double rate)
        => rate >= 0 && rate < 1 ? new(VectorizedLayerKind.Dropout, width, width, false, rate, false)
            : throw new ArgumentOutOfRangeException(nameof(rate), rate, "Dropout rate must be in [0, 1)");

    /// <summary>Weight-scaling dropout with keep probability <paramref name="keep"/>.</summary>
    public static VectorizedLayer WeightScalingDropout(long width, double keep)
        => keep > 0 && keep <= 1 ? new(VectorizedLayerKind.WeightScalingDropout, width, width, false, keep, false)
            : throw new ArgumentOutOfRangeException(nameof(keep), keep, "keep probability must be in (0, 1]");

    /// <summary>Whether the layer draws from TorchSharp's global generator in training (the dropout masks).</summary>
    internal bool DrawsFromGlobalGenerator => VectorizedLayerKinds.Find(Kind)?.DrawsFromGlobalGenerator(this) ?? false;

    /// <summary>LayerNorm over <paramref name="width"/> features.</summary>
    public static VectorizedLayer LayerNorm(long width, double eps = 1e-5, bool affine = true)
        => new(VectorizedLayerKind.LayerNorm, width, width, false, eps, affine);
}

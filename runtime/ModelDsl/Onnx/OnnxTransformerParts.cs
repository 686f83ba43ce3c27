using System;
using System.Collections.Generic;
using ModelDsl.Onnx.Proto;
using static ModelDsl.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace ModelDsl.Onnx;

/// <summary>
/// The parts of Transformer layers as ONNX nodes, shared by the encoder and the decoder: multi-head attention as
/// MatMul/Softmax nodes (opset 17 has no attention op) from an nn.MultiheadAttention's packed in_proj parameters, per head
/// softmax(q·kᵀ/√(D/H) + mask)·v (Vaswani et al. 2017, eq. 1), merged and projected out; its masks; the feed-forward
/// network; the layer norm.
/// </summary>
internal static class OnnxTransformerParts
{
    /// <summary>
    /// Queries from <paramref name="queries"/> [B, n, D], keys and values from <paramref name="keysValues"/> [B, t, D]
    /// (the same value for self-attention); <paramref name="mask"/> rewrites the scores [B, H, n, t] (−∞ where a key is
    /// blocked) and returns the masked value. Node names start with <paramref name="at"/>; the output projection's with
    /// <paramref name="outProjection"/>. Returns [B, n, D].
    /// </summary>
    public static string Attend(OnnxGraphBuilder g, string at, string queries, string keysValues, long d, long heads, Tensor inWeight, Tensor inBias,
        string outProjection, Tensor outWeight, Tensor outBias, Func<string, string>? mask)
    {
        long perHead = d / heads;
        using var scope = NewDisposeScope();
        string Projection(int part, string what, string source) => g.Node("Add", $"{at}.{what}", new[]
        {
            g.Node("MatMul", $"{at}.{what}_matmul", new[] { source, g.Initializer($"{at}.{what}_weight_t", inWeight.narrow(0, part * d, d).t()) }),
            g.Initializer($"{at}.{what}_bias", inBias.narrow(0, part * d, d)),
        });
        string Heads(string value, string what, long[] perm) => g.Node("Transpose", $"{at}.{what}_heads", new[]
        {
            g.Node("Reshape", $"{at}.{what}_split", new[] { value, g.Int64Constant($"{at}.{what}_split_shape", new long[] { 0, 0, heads, perHead }, 4) }),
        }, Ints("perm", perm));
        string q = Heads(Projection(0, "q", queries), "q", new long[] { 0, 2, 1, 3 });    // [B, H, n, d]
        string k = Heads(Projection(1, "k", keysValues), "k", new long[] { 0, 2, 3, 1 }); // [B, H, d, t]
        string v = Heads(Projection(2, "v", keysValues), "v", new long[] { 0, 2, 1, 3 }); // [B, H, t, d]
        string scores = g.Node("Mul", at + ".scores", new[] { g.Node("MatMul", at + ".qk", new[] { q, k }), g.Constant(at + ".scale", new[] { 1 / Math.Sqrt(perHead) }) });
        if (mask is not null) scores = mask(scores);
        string mixed = g.Node("MatMul", at + ".mixed", new[] { g.Node("Softmax", at + ".weights", new[] { scores }, Int("axis", -1)), v });
        string merged = g.Node("Reshape", at + ".merged", new[]
        {
            g.Node("Transpose", at + ".merged_steps", new[] { mixed }, Ints("perm", new long[] { 0, 2, 1, 3 })),
            g.Int64Constant(at + ".merged_shape", new long[] { 0, 0, d }, 3),
        });
        return g.Dense(outProjection, merged, 3, outWeight, outBias);
    }

    /// <summary>
    /// The [n, n] Bool mask of causal attention, true where key j comes after query i (j &gt; i), from the length of
    /// <paramref name="x"/> [B, n, D] at run time (Range, Greater), so any length exports.
    /// </summary>
    public static string Later(OnnxGraphBuilder g, string name, string x)
    {
        string length = g.Node("Gather", name + ".length", new[] { g.Node("Shape", name + ".shape", new[] { x }), g.Int64Constant(name + ".time_axis", new long[] { 1 }) }, Int("axis", 0));
        string steps = g.Node("Range", name + ".steps", new[] { g.Int64Constant(name + ".zero", new long[] { 0 }), length, g.Int64Constant(name + ".one", new long[] { 1 }) });
        string queries = g.Node("Unsqueeze", name + ".queries", new[] { steps, g.Int64Constant(name + ".query_axis", new long[] { 1 }, 1) });
        string keys = g.Node("Unsqueeze", name + ".keys", new[] { steps, g.Int64Constant(name + ".key_axis", new long[] { 0 }, 1) });
        return g.Node("Greater", name + ".causal_mask", new[] { keys, queries });
    }

    /// <summary>The [n, n] Bool diagonal (key j = query i) of the steps <see cref="Later"/> wrote under <paramref name="name"/>.</summary>
    public static string Diagonal(OnnxGraphBuilder g, string name) => g.Node("Equal", name + ".diagonal", new[] { name + ".keys", name + ".queries" });

    /// <summary>
    /// The keys each query may not read, [B, 1, n, t] broadcast over heads, as ModelDsl's runtime attention decides them:
    /// the later keys (<paramref name="later"/> [n, t], causal) and the padding keys (<paramref name="keyPadding"/> [B, t]);
    /// a query left with no key reads its own step (causal: <paramref name="diagonal"/>) or every key (across sequences),
    /// where a softmax over nothing would be NaN.
    /// </summary>
    public static string Blocked(OnnxGraphBuilder g, string name, string? later, string? diagonal, string keyPadding)
    {
        string padding = g.Node("Unsqueeze", name + ".key_padding", new[] { keyPadding, g.Int64Constant(name + ".key_axes", new long[] { 1, 2 }, 2) }); // [B, 1, 1, t]
        string blocked = later is null ? padding : g.Node("Or", name + ".blocked_any", new[] { later, padding });
        string blockedInt = g.Node("Cast", name + ".blocked_int", new[] { blocked }, Int("to", (long)TensorProto.Types.DataType.Int32));
        string none = g.Node("Cast", name + ".reads_none", new[] { g.Node("ReduceMin", name + ".reads_none_int", new[] { blockedInt }, Ints("axes", new long[] { -1 }), Int("keepdims", 1)) },
            Int("to", (long)TensorProto.Types.DataType.Bool));
        string rescued = diagonal is null ? none : g.Node("And", name + ".rescued", new[] { none, diagonal });
        return g.Node("And", name + ".blocked", new[] { blocked, g.Node("Not", name + ".kept", new[] { rescued }) });
    }

    /// <summary>Scores with −∞ where <paramref name="blocked"/> is true.</summary>
    public static string Masked(OnnxGraphBuilder g, string name, string scores, string blocked)
        => g.Node("Where", name, new[] { blocked, g.Constant(name + ".minus_infinity", new[] { double.NegativeInfinity }), scores });

    /// <summary>The feed-forward network Linear(D, F) → ReLU or GELU → Linear(F, D) of the layer at <paramref name="l"/> (dropout is the identity in eval).</summary>
    public static string FeedForward(OnnxGraphBuilder g, string l, string x, Activation activation, IReadOnlyDictionary<string, Tensor> p)
    {
        string hidden = g.Dense(l + ".linear1", x, 3, p["linear1.weight"], p["linear1.bias"]);
        string activated = activation == Activation.GELU ? g.Gelu(l + ".activation", hidden, tanhApproximation: false) : g.Node("Relu", l + ".activation", new[] { hidden });
        return g.Dense(l + ".linear2", activated, 3, p["linear2.weight"], p["linear2.bias"]);
    }

    /// <summary>The layer norm <paramref name="norm"/> (norm1, norm2, …) of the layer at <paramref name="l"/> over the last dimension.</summary>
    public static string Norm(OnnxGraphBuilder g, string l, string x, string norm, IReadOnlyDictionary<string, Tensor> p, double eps)
        => g.Node("LayerNormalization", $"{l}.{norm}", new[] { x, g.Initializer($"{l}.{norm}.weight", p[norm + ".weight"]), g.Initializer($"{l}.{norm}.bias", p[norm + ".bias"]) },
            Int("axis", -1), Float("epsilon", eps));
}

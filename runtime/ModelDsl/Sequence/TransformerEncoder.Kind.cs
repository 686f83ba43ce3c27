using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Kinds;
using ModelDsl.Onnx;
using ModelDsl.Onnx.Proto;
using static ModelDsl.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace ModelDsl;

// What the runtime knows about the Transformer encoder as a layer kind.
public sealed partial class TransformerEncoder : IOnnxLayer
{
    /// <summary>Its layers' Dropout children draw and count on their own.</summary>
    bool ILayerKind.DrawsFromGlobalGenerator => false;

    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;

    /// <summary>
    /// The stack from MatMul/Add/Softmax/LayerNormalization nodes (opset 17 has no attention op): per layer, pre-LN
    /// x + Attn(LN(x)), x + FFN(LN(x)) or post-LN LN(x + Attn(x)), LN(x + FFN(x)); attention per head
    /// softmax(q·kᵀ/√(D/H))·v (Vaswani et al. 2017, eq. 1); dropout is the identity in eval. With the padding mask
    /// (when the generated forward passes it), padding keys get no attention. A causal stack also sets the scores of later
    /// keys to −∞, with a [T, T] mask built from the input's length at run time (Range, Greater), so any length exports.
    /// </summary>
    /// <exception cref="OnnxExportException">A causal stack with a padding mask (not exported yet).</exception>
    string IOnnxLayer.ExportOnnx(LayerExportContext context, string name, string input)
    {
        OnnxGraphBuilder g = context.Graph;
        string x = input;
        string? paddingMask = context.LayerMask;
        // The key padding mask as [B, 1, 1, T], broadcast over heads and queries, once for all layers; a sequence that is all
        // padding attends to all its steps, as TransformerEncoder does (a softmax over no keys would be NaN).
        string? keys = null;
        if (paddingMask is not null)
        {
            string padded = g.Node("Cast", name + ".padding_int", new[] { paddingMask }, Int("to", (long)TensorProto.Types.DataType.Int32));
            string allPadding = g.Node("Cast", name + ".all_padding", new[] { g.Node("ReduceMin", name + ".all_padding_int", new[] { padded }, Ints("axes", new long[] { 1 }), Int("keepdims", 1)) },
                Int("to", (long)TensorProto.Types.DataType.Bool));
            string kept = g.Node("And", name + ".key_mask", new[] { paddingMask, g.Node("Not", name + ".some_tokens", new[] { allPadding }) });
            keys = g.Node("Unsqueeze", name + ".key_padding", new[] { kept, g.Int64Constant(name + ".key_axes", new long[] { 1, 2 }, 2) });
        }
        string? later = null;
        if (Causal)
        {
            if (keys is not null)
                throw new OnnxExportException(context.Model, name, "a causal TransformerEncoder with a padding mask is not exported yet (a step whose earlier keys are all padding needs the rule that it attends to itself); export the model without a PaddingIndex");
            later = CausalMask(g, name, x);
        }
        for (int i = 0; i < Layers.Count; i++)
        {
            TransformerEncoderLayer layer = Layers[i];
            string l = $"{name}.layers.{i}";
            var p = layer.named_parameters().ToDictionary(n => n.name, n => (Tensor)n.parameter);
            string Norm(string input, string norm) => g.Node("LayerNormalization", $"{l}.{norm}", new[] { input, g.Initializer($"{l}.{norm}.weight", p[norm + ".weight"]), g.Initializer($"{l}.{norm}.bias", p[norm + ".bias"]) },
                Int("axis", -1), Float("epsilon", layer.Eps));
            if (layer.NormFirst)
            {
                x = g.Node("Add", l + ".attention_residual", new[] { x, Attention(g, l, Norm(x, "norm1"), layer, p, keys, later) });
                x = g.Node("Add", l + ".ffn_residual", new[] { x, FeedForward(g, l, Norm(x, "norm2"), layer, p) });
            }
            else
            {
                x = Norm(g.Node("Add", l + ".attention_residual", new[] { x, Attention(g, l, x, layer, p, keys, later) }), "norm1");
                x = Norm(g.Node("Add", l + ".ffn_residual", new[] { x, FeedForward(g, l, x, layer, p) }), "norm2");
            }
        }
        if (FinalNorm is { } final)
        {
            x = g.Node("LayerNormalization", name + ".norm", new[] { x, g.Initializer(name + ".norm.weight", final.weight!), g.Initializer(name + ".norm.bias", final.bias!) },
                Int("axis", -1), Float("epsilon", final.eps));
        }
        return x;
    }

    /// <summary>The [T, T] Bool mask of a causal stack, true where key j comes after query i (j &gt; i), from the length of <paramref name="x"/> [B, T, D].</summary>
    private static string CausalMask(OnnxGraphBuilder g, string name, string x)
    {
        string length = g.Node("Gather", name + ".length", new[] { g.Node("Shape", name + ".shape", new[] { x }), g.Int64Constant(name + ".time_axis", new long[] { 1 }) }, Int("axis", 0));
        string steps = g.Node("Range", name + ".steps", new[] { g.Int64Constant(name + ".zero", new long[] { 0 }), length, g.Int64Constant(name + ".one", new long[] { 1 }) });
        string queries = g.Node("Unsqueeze", name + ".queries", new[] { steps, g.Int64Constant(name + ".query_axis", new long[] { 1 }, 1) });
        string keys = g.Node("Unsqueeze", name + ".keys", new[] { steps, g.Int64Constant(name + ".key_axis", new long[] { 0 }, 1) });
        return g.Node("Greater", name + ".causal_mask", new[] { keys, queries });
    }

    /// <summary>
    /// Multi-head self-attention; <paramref name="keys"/> [B, 1, 1, T] sets the scores of padding keys to −∞ (PyTorch's
    /// key_padding_mask), <paramref name="later"/> [T, T] those of later keys (causal).
    /// </summary>
    private static string Attention(OnnxGraphBuilder g, string l, string x, TransformerEncoderLayer layer, Dictionary<string, Tensor> p, string? keys, string? later)
    {
        long d = layer.Dimension, heads = layer.Heads, perHead = d / heads;
        using var scope = NewDisposeScope();
        Tensor weight = p["self_attn.in_proj_weight"], bias = p["self_attn.in_proj_bias"];
        string Projection(int part, string what) => g.Node("Add", $"{l}.{what}", new[]
        {
            g.Node("MatMul", $"{l}.{what}_matmul", new[] { x, g.Initializer($"{l}.{what}_weight_t", weight.narrow(0, part * d, d).t()) }),
            g.Initializer($"{l}.{what}_bias", bias.narrow(0, part * d, d)),
        });
        string Heads(string value, string what, long[] perm) => g.Node("Transpose", $"{l}.{what}_heads", new[]
        {
            g.Node("Reshape", $"{l}.{what}_split", new[] { value, g.Int64Constant($"{l}.{what}_split_shape", new long[] { 0, 0, heads, perHead }, 4) }),
        }, Ints("perm", perm));
        string q = Heads(Projection(0, "q"), "q", new long[] { 0, 2, 1, 3 });   // [B, H, T, d]
        string k = Heads(Projection(1, "k"), "k", new long[] { 0, 2, 3, 1 });   // [B, H, d, T]
        string v = Heads(Projection(2, "v"), "v", new long[] { 0, 2, 1, 3 });   // [B, H, T, d]
        string scores = g.Node("Mul", l + ".scores", new[] { g.Node("MatMul", l + ".qk", new[] { q, k }), g.Constant(l + ".scale", new[] { 1 / Math.Sqrt(perHead) }) });
        if (keys is not null) scores = g.Node("Where", l + ".masked_scores", new[] { keys, g.Constant(l + ".minus_infinity", new[] { double.NegativeInfinity }), scores });
        if (later is not null) scores = g.Node("Where", l + ".causal_scores", new[] { later, g.Constant(l + ".causal_minus_infinity", new[] { double.NegativeInfinity }), scores });
        string mixed = g.Node("MatMul", l + ".mixed", new[] { g.Node("Softmax", l + ".weights", new[] { scores }, Int("axis", -1)), v });
        string merged = g.Node("Reshape", l + ".merged", new[]
        {
            g.Node("Transpose", l + ".merged_steps", new[] { mixed }, Ints("perm", new long[] { 0, 2, 1, 3 })),
            g.Int64Constant(l + ".merged_shape", new long[] { 0, 0, d }, 3),
        });
        return g.Dense(l + ".self_attn.out_proj", merged, 3, p["self_attn.out_proj.weight"], p["self_attn.out_proj.bias"]);
    }

    private static string FeedForward(OnnxGraphBuilder g, string l, string x, TransformerEncoderLayer layer, Dictionary<string, Tensor> p)
    {
        string hidden = g.Dense(l + ".linear1", x, 3, p["linear1.weight"], p["linear1.bias"]);
        string activated = layer.Activation == ModelDsl.Activation.GELU ? g.Gelu(l + ".activation", hidden, tanhApproximation: false) : g.Node("Relu", l + ".activation", new[] { hidden });
        return g.Dense(l + ".linear2", activated, 3, p["linear2.weight"], p["linear2.bias"]);
    }
}

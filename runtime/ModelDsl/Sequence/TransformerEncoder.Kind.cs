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
    /// keys to −∞, with a [T, T] mask built from the input's length at run time (Range, Greater), so any length exports;
    /// with a padding mask too, a step whose earlier keys are all padding reads itself (as the runtime's attention does).
    /// </summary>
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
        if (Causal && keys is not null)
        {
            // Later keys and padding keys in one mask; a step whose earlier keys are all padding reads itself, as the runtime does.
            later = OnnxTransformerParts.Blocked(g, name, OnnxTransformerParts.Later(g, name, x), OnnxTransformerParts.Diagonal(g, name), paddingMask!);
            keys = null;
        }
        else if (Causal) later = OnnxTransformerParts.Later(g, name, x);
        for (int i = 0; i < Layers.Count; i++)
        {
            TransformerEncoderLayer layer = Layers[i];
            string l = $"{name}.layers.{i}";
            var p = layer.named_parameters().ToDictionary(n => n.name, n => (Tensor)n.parameter);
            string Norm(string input, string norm) => OnnxTransformerParts.Norm(g, l, input, norm, p, layer.Eps);
            if (layer.NormFirst)
            {
                x = g.Node("Add", l + ".attention_residual", new[] { x, Attention(g, l, Norm(x, "norm1"), layer, p, keys, later) });
                x = g.Node("Add", l + ".ffn_residual", new[] { x, OnnxTransformerParts.FeedForward(g, l, Norm(x, "norm2"), layer.Activation, p) });
            }
            else
            {
                x = Norm(g.Node("Add", l + ".attention_residual", new[] { x, Attention(g, l, x, layer, p, keys, later) }), "norm1");
                x = Norm(g.Node("Add", l + ".ffn_residual", new[] { x, OnnxTransformerParts.FeedForward(g, l, x, layer.Activation, p) }), "norm2");
            }
        }
        if (FinalNorm is { } final)
        {
            x = g.Node("LayerNormalization", name + ".norm", new[] { x, g.Initializer(name + ".norm.weight", final.weight!), g.Initializer(name + ".norm.bias", final.bias!) },
                Int("axis", -1), Float("epsilon", final.eps));
        }
        return x;
    }

    /// <summary>
    /// Multi-head self-attention; <paramref name="keys"/> [B, 1, 1, T] sets the scores of padding keys to −∞ (PyTorch's
    /// key_padding_mask), <paramref name="later"/> those of later keys (causal: [T, T], or [B, 1, T, T] with the padding keys too).
    /// </summary>
    private static string Attention(OnnxGraphBuilder g, string l, string x, TransformerEncoderLayer layer, Dictionary<string, Tensor> p, string? keys, string? later)
        => OnnxTransformerParts.Attend(g, l, x, x, layer.Dimension, layer.Heads, p["self_attn.in_proj_weight"], p["self_attn.in_proj_bias"],
            l + ".self_attn.out_proj", p["self_attn.out_proj.weight"], p["self_attn.out_proj.bias"], scores =>
            {
                if (keys is not null) scores = g.Node("Where", l + ".masked_scores", new[] { keys, g.Constant(l + ".minus_infinity", new[] { double.NegativeInfinity }), scores });
                if (later is not null) scores = g.Node("Where", l + ".causal_scores", new[] { later, g.Constant(l + ".causal_minus_infinity", new[] { double.NegativeInfinity }), scores });
                return scores;
            });
}

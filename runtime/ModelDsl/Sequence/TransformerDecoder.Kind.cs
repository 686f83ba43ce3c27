using System.Linq;
using ModelDsl.Kinds;
using ModelDsl.Onnx;
using static ModelDsl.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace ModelDsl;

// What the runtime knows about the decoder as a layer kind.
public sealed partial class TransformerDecoder : IOnnxLayer
{
    /// <summary>Its dropouts are registered Dropout children and count on their own.</summary>
    bool ILayerKind.DrawsFromGlobalGenerator => false;

    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;

    /// <summary>
    /// The stack from MatMul/Add/Softmax/LayerNormalization nodes, per layer pre-LN x + SelfAttn(LN(x)), x +
    /// CrossAttn(LN(x), memory), x + FFN(LN(x)) or post-LN LN(x + …) (PyTorch's nn.TransformerDecoderLayer), then the final
    /// norm of a pre-LN stack; dropout is the identity in eval. Self-attention is causal, with its [T, T] mask built from
    /// the target's length at run time; with the padding masks the generated forward passes, padding keys of either side
    /// get no attention, and a query left with no key reads itself (self) or every memory step (cross), as the runtime does.
    /// </summary>
    /// <exception cref="OnnxExportException">The chain gives the decoder no memory (it is not in a generated graph model).</exception>
    string IOnnxLayer.ExportOnnx(LayerExportContext context, string name, string input)
    {
        OnnxGraphBuilder g = context.Graph;
        string memory = context.Memory ?? throw context.Refuse(name, "a TransformerDecoder reads a memory, which only a generated graph model's forward passes it");
        string later = OnnxTransformerParts.Later(g, name, input);
        string self = context.LayerMask is { } targetMask
            ? OnnxTransformerParts.Blocked(g, name + ".target", later, OnnxTransformerParts.Diagonal(g, name), targetMask)
            : later;
        string? cross = context.MemoryMask is { } memoryMask ? OnnxTransformerParts.Blocked(g, name + ".memory", null, null, memoryMask) : null;
        string x = input;
        for (int i = 0; i < Layers.Count; i++)
        {
            TransformerDecoderLayer layer = Layers[i];
            string l = $"{name}.layers.{i}";
            var p = layer.named_parameters().ToDictionary(n => n.name, n => (Tensor)n.parameter);
            string Norm(string value, string norm) => OnnxTransformerParts.Norm(g, l, value, norm, p, layer.Eps);
            string Attention(string attention, string queries, string keysValues, string? blocked)
                => OnnxTransformerParts.Attend(g, $"{l}.{attention}", queries, keysValues, layer.Dimension, layer.Heads, p[attention + ".in_proj_weight"], p[attention + ".in_proj_bias"],
                    $"{l}.{attention}.out_proj", p[attention + ".out_proj.weight"], p[attention + ".out_proj.bias"],
                    blocked is null ? null : scores => OnnxTransformerParts.Masked(g, $"{l}.{attention}.masked_scores", scores, blocked));
            string SelfAttention(string value) => Attention("self_attn", value, value, self);
            string CrossAttention(string value) => Attention("multihead_attn", value, memory, cross);
            string FeedForward(string value) => OnnxTransformerParts.FeedForward(g, l, value, layer.Activation, p);
            string Residual(string value, string branch, string what) => g.Node("Add", $"{l}.{what}_residual", new[] { value, branch });
            if (layer.NormFirst)
            {
                x = Residual(x, SelfAttention(Norm(x, "norm1")), "self_attention");
                x = Residual(x, CrossAttention(Norm(x, "norm2")), "cross_attention");
                x = Residual(x, FeedForward(Norm(x, "norm3")), "ffn");
            }
            else
            {
                x = Norm(Residual(x, SelfAttention(x), "self_attention"), "norm1");
                x = Norm(Residual(x, CrossAttention(x), "cross_attention"), "norm2");
                x = Norm(Residual(x, FeedForward(x), "ffn"), "norm3");
            }
        }
        if (FinalNorm is { } final)
        {
            x = g.Node("LayerNormalization", name + ".norm", new[] { x, g.Initializer(name + ".norm.weight", final.weight!), g.Initializer(name + ".norm.bias", final.bias!) },
                Int("axis", -1), Float("epsilon", final.eps));
        }
        return x;
    }
}

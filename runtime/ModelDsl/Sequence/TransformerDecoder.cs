using System;
using System.Linq;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// A stack of <see cref="TransformerDecoderLayer"/>s (children <c>layers.0</c>, …) followed, for pre-LN stacks, by a final
/// layer norm (<c>norm</c>), as PyTorch's <c>nn.TransformerDecoder(layer, num_layers, norm=LayerNorm(D))</c>: each layer
/// reads the previous one's output and the same memory. Weights are drawn from the given generator with PyTorch's init
/// (attention input projections Glorot-uniform, their biases 0, linear layers U(±1/√fan_in), norms γ = 1, β = 0).
/// It is a <c>Module&lt;Tensor, Tensor&gt;</c> only so that a block's <c>Sequential</c> can hold it under its state_dict
/// name: it needs its memory, so the one-tensor forward refuses, and a generated forward calls
/// <see cref="forward(Tensor, Tensor, Tensor?, Tensor?)"/>.
/// </summary>
public sealed partial class TransformerDecoder : nn.Module<Tensor, Tensor>, ICrossAttentionLayer
{
#pragma warning disable IDE1006 // registered names
    private readonly ModuleList<TransformerDecoderLayer> layers;
    private readonly LayerNorm? norm;
#pragma warning restore IDE1006

    /// <param name="dimension">D; a multiple of <paramref name="heads"/>.</param>
    /// <param name="heads">Attention heads.</param>
    /// <param name="feedForward">F, the feed-forward width.</param>
    /// <param name="count">Stacked layers.</param>
    /// <param name="dropout">Dropout in training.</param>
    /// <param name="activation">ReLU or GELU.</param>
    /// <param name="normFirst">Pre-LN (with a final norm) instead of post-LN.</param>
    /// <param name="eps">Layer norm ε.</param>
    /// <param name="generator">Seeded draws; null uses the global generator.</param>
    /// <param name="dtype">Parameter type (float32 when null).</param>
    public TransformerDecoder(long dimension, long heads, long feedForward, long count = 1, double dropout = 0.1, Activation activation = Activation.ReLU,
        bool normFirst = true, double eps = 1e-5, Generator? generator = null, ScalarType? dtype = null) : base(nameof(TransformerDecoder))
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "TransformerDecoder needs at least one layer");
        layers = new ModuleList<TransformerDecoderLayer>(Enumerable.Range(0, checked((int)count))
            .Select(_ => new TransformerDecoderLayer(dimension, heads, feedForward, dropout, activation, normFirst, eps, dtype)).ToArray());
        register_module(nameof(layers), layers);
        if (normFirst)
        {
            norm = nn.LayerNorm(dimension, eps, dtype: dtype);
            register_module(nameof(norm), norm);
        }
        using var noGrad = no_grad();
        foreach (TransformerDecoderLayer layer in layers)
        {
            var p = layer.named_parameters().ToDictionary(entry => entry.name, entry => entry.parameter);
            foreach (string attention in new[] { "self_attn", "multihead_attn" })
            {
                Initializers.XavierUniform(p[attention + ".in_proj_weight"], 1.0, generator);
                p[attention + ".in_proj_bias"].zero_();
                Initializers.TorchDefault(p[attention + ".out_proj.weight"], null, generator);
                p[attention + ".out_proj.bias"].zero_();
            }
            Initializers.TorchDefault(p["linear1.weight"], p["linear1.bias"], generator);
            Initializers.TorchDefault(p["linear2.weight"], p["linear2.bias"], generator);
        }
    }

    /// <summary>The layers, in order.</summary>
    public ModuleList<TransformerDecoderLayer> Layers => layers;

    /// <summary>The final layer norm of a pre-LN stack; null for post-LN.</summary>
    public LayerNorm? FinalNorm => norm;

    /// <summary>Refuses: a decoder reads a target and a memory.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public override Tensor forward(Tensor target)
        => throw new InvalidOperationException("TransformerDecoder reads a target and a memory: call forward(target, memory, targetPaddingMask, memoryPaddingMask). "
            + "A generated model passes it the value its [TransformerDecoder(Memory = …)] names; a Sequential that holds it cannot run it.");

    /// <summary>
    /// Decodes the target <c>[B, n, D]</c> against the memory <c>[B, m, D]</c>, each target step reading itself and earlier
    /// steps and every memory step; the padding masks are true at padding steps.
    /// </summary>
    public Tensor forward(Tensor target, Tensor memory, Tensor? targetPaddingMask = null, Tensor? memoryPaddingMask = null)
    {
        Tensor x = target;
        foreach (TransformerDecoderLayer layer in layers) x = Intermediate.Replace(x, layer.forward(x, memory, targetPaddingMask, memoryPaddingMask), target);
        return norm is null ? x : Intermediate.Replace(x, norm.forward(x), target);
    }
}

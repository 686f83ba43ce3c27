using System;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// One Transformer decoder layer (Vaswani et al. 2017, §3.1) over a batch-first target <c>[B, n, D]</c> and an encoder's
/// output, the memory <c>[B, m, D]</c>: causal self-attention over the target, attention of the target over the memory
/// (cross-attention), and a feed-forward network Linear(D, F) → activation → Linear(F, D), each with a residual connection
/// and layer norm, post-LN (the paper's order) or pre-LN (<c>NormFirst</c>). The function and submodule names of PyTorch's
/// <c>nn.TransformerDecoderLayer(batch_first=True, norm_first=…)</c> run with the causal <c>tgt_mask</c>:
/// <c>self_attn</c>, <c>multihead_attn</c>, <c>linear1</c>, <c>linear2</c>, <c>norm1</c>–<c>norm3</c>. Written by hand
/// because TorchSharp 0.107's TransformerDecoderLayer has neither <c>batch_first</c> nor <c>norm_first</c>.
/// </summary>
public sealed partial class TransformerDecoderLayer : nn.Module
{
#pragma warning disable IDE1006 // PyTorch's submodule names, which become state_dict keys
    private readonly MultiheadAttention self_attn;
    private readonly MultiheadAttention multihead_attn;
    private readonly Linear linear1;
    private readonly Linear linear2;
    private readonly LayerNorm norm1;
    private readonly LayerNorm norm2;
    private readonly LayerNorm norm3;
    private readonly Dropout dropout;
    private readonly Dropout dropout1;
    private readonly Dropout dropout2;
    private readonly Dropout dropout3;
#pragma warning restore IDE1006

    /// <param name="dimension">D, the model width; a multiple of <paramref name="heads"/>.</param>
    /// <param name="heads">Attention heads of both attentions.</param>
    /// <param name="feedForward">F, the feed-forward width.</param>
    /// <param name="dropout">Dropout on attention weights, inside the FFN and on the three residual branches, in training only.</param>
    /// <param name="activation">ReLU or GELU.</param>
    /// <param name="normFirst">Pre-LN instead of post-LN.</param>
    /// <param name="eps">Layer norm ε.</param>
    /// <param name="dtype">Parameter type (float32 when null).</param>
    public TransformerDecoderLayer(long dimension, long heads, long feedForward, double dropout = 0.1, Activation activation = Activation.ReLU,
        bool normFirst = true, double eps = 1e-5, ScalarType? dtype = null) : base(nameof(TransformerDecoderLayer))
    {
        TransformerParts.Check(nameof(TransformerDecoderLayer), dimension, heads, activation);
        (Dimension, Heads, NormFirst, Activation, AttentionDropout, Eps) = (dimension, heads, normFirst, activation, dropout, eps);
        self_attn = nn.MultiheadAttention(dimension, heads, dropout: dropout);
        multihead_attn = nn.MultiheadAttention(dimension, heads, dropout: dropout);
        linear1 = nn.Linear(dimension, feedForward, dtype: dtype);
        linear2 = nn.Linear(feedForward, dimension, dtype: dtype);
        norm1 = nn.LayerNorm(dimension, eps, dtype: dtype);
        norm2 = nn.LayerNorm(dimension, eps, dtype: dtype);
        norm3 = nn.LayerNorm(dimension, eps, dtype: dtype);
        this.dropout = nn.Dropout(dropout);
        dropout1 = nn.Dropout(dropout);
        dropout2 = nn.Dropout(dropout);
        dropout3 = nn.Dropout(dropout);
        RegisterComponents();
        if (dtype is { } type)
        {
            TorchSharp.ModuleExtensionMethods.to(self_attn, type); // the attention factory takes no dtype
            TorchSharp.ModuleExtensionMethods.to(multihead_attn, type);
        }
    }

    /// <summary>D.</summary>
    public long Dimension { get; }

    /// <summary>Attention heads.</summary>
    public long Heads { get; }

    /// <summary>Pre-LN when true.</summary>
    public bool NormFirst { get; }

    /// <summary>The feed-forward activation.</summary>
    public Activation Activation { get; }

    /// <summary>The dropout probability on attention weights in training.</summary>
    public double AttentionDropout { get; }

    /// <summary>The layer norms' ε.</summary>
    public double Eps { get; }

    /// <summary>
    /// Decodes the target <c>[B, n, D]</c> against the memory <c>[B, m, D]</c>; <paramref name="targetPaddingMask"/>
    /// <c>[B, n]</c> and <paramref name="memoryPaddingMask"/> <c>[B, m]</c> are true at padding steps, which no step attends to.
    /// </summary>
    /// <exception cref="ShapeMismatchException">The target, memory or a mask does not have the shape above.</exception>
    public Tensor forward(Tensor target, Tensor memory, Tensor? targetPaddingMask = null, Tensor? memoryPaddingMask = null)
    {
        string shape = $"[B, t, {Dimension}]";
        if (target.dim() != 3 || target.shape[2] != Dimension) throw new ShapeMismatchException(nameof(TransformerDecoderLayer) + " target", shape, ShapeMismatchException.Format(target.shape));
        if (memory.dim() != 3 || memory.shape[2] != Dimension || memory.shape[0] != target.shape[0])
            throw new ShapeMismatchException(nameof(TransformerDecoderLayer) + " memory", $"[{target.shape[0]}, m, {Dimension}]", ShapeMismatchException.Format(memory.shape));
        RequireMask(targetPaddingMask, target, "target padding mask");
        RequireMask(memoryPaddingMask, memory, "memory padding mask");
        Tensor x = target;
        if (target.shape[0] == 0) return x; // libtorch's attention kernel refuses an empty batch
        if (NormFirst)
        {
            x = x + dropout1.forward(SelfAttention(norm1.forward(x), targetPaddingMask));
            x = x + dropout2.forward(CrossAttention(norm2.forward(x), memory, memoryPaddingMask));
            return x + dropout3.forward(FeedForward(norm3.forward(x)));
        }
        x = norm1.forward(x + dropout1.forward(SelfAttention(x, targetPaddingMask)));
        x = norm2.forward(x + dropout2.forward(CrossAttention(x, memory, memoryPaddingMask)));
        return norm3.forward(x + dropout3.forward(FeedForward(x)));
    }

    private static void RequireMask(Tensor? mask, Tensor sequence, string what)
    {
        if (mask is not null && (mask.dim() != 2 || mask.shape[0] != sequence.shape[0] || mask.shape[1] != sequence.shape[1]))
            throw new ShapeMismatchException($"{nameof(TransformerDecoderLayer)} {what}", $"[{sequence.shape[0]}, {sequence.shape[1]}]", ShapeMismatchException.Format(mask.shape));
    }

    private double Dropout => training ? AttentionDropout : 0;

    private Tensor SelfAttention(Tensor x, Tensor? paddingMask)
    {
        var (q, k, v) = ScaledAttention.Project(self_attn, Heads, x, x);
        return paddingMask is null
            ? ScaledAttention.Attend(self_attn, q, k, v, null, causalFlag: true, Dropout)
            : ScaledAttention.Attend(self_attn, q, k, v, ScaledAttention.Blocked(x.shape[1], x.shape[1], 0, causal: true, paddingMask, x.device), causalFlag: false, Dropout);
    }

    private Tensor CrossAttention(Tensor x, Tensor memory, Tensor? memoryPaddingMask)
    {
        var (q, k, v) = ScaledAttention.Project(multihead_attn, Heads, x, memory);
        return ScaledAttention.Attend(multihead_attn, q, k, v, ScaledAttention.Blocked(x.shape[1], memory.shape[1], 0, causal: false, memoryPaddingMask, x.device), causalFlag: false, Dropout);
    }

    private Tensor FeedForward(Tensor x) => TransformerParts.FeedForward(linear1, linear2, dropout, Activation, x);
}

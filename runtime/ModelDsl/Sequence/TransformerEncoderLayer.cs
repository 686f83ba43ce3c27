using System;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// One Transformer encoder layer (Vaswani et al. 2017) over batch-first <c>[B, T, D]</c>: self-attention, then a
/// feed-forward network Linear(D, F) → activation → dropout → Linear(F, D), each with a residual connection and layer
/// norm. Post-LN (the paper's order, <c>NormFirst = false</c>): x = LN(x + Attn(x)), x = LN(x + FFN(x)). Pre-LN
/// (<c>NormFirst = true</c>, the stable variant of Xiong et al. 2020): x = x + Attn(LN(x)), x = x + FFN(LN(x)). The same
/// function and submodule names as PyTorch's <c>nn.TransformerEncoderLayer(batch_first=True, norm_first=…)</c>
/// (<c>self_attn</c>, <c>linear1</c>, <c>linear2</c>, <c>norm1</c>, <c>norm2</c>). Written by hand because TorchSharp
/// 0.107's TransformerEncoderLayer has neither <c>batch_first</c> nor <c>norm_first</c>.
/// <para>
/// Causal (<c>causal: true</c>, GPT's decoder-only block; PyTorch's <c>is_causal</c>, Keras's <c>use_causal_mask</c>): step
/// t attends to steps ≤ t only, so no output depends on a later step. Causal attention is computed here from
/// <c>self_attn</c>'s own parameters, softmax(q·kᵀ/√(D/H) + mask)·v per head (Vaswani et al. 2017, eq. 1) through libtorch's
/// scaled_dot_product_attention, which also lets a <see cref="KeyValueCache"/> carry the keys and values of earlier steps
/// into the next forward.
/// </para>
/// </summary>
public sealed partial class TransformerEncoderLayer : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // PyTorch's submodule names, which become state_dict keys
    private readonly MultiheadAttention self_attn;
    private readonly Linear linear1;
    private readonly Linear linear2;
    private readonly LayerNorm norm1;
    private readonly LayerNorm norm2;
    private readonly Dropout dropout;
    private readonly Dropout dropout1;
    private readonly Dropout dropout2;
#pragma warning restore IDE1006

    /// <param name="dimension">D, the model width; a multiple of <paramref name="heads"/>.</param>
    /// <param name="heads">Attention heads; each attends over D / heads features.</param>
    /// <param name="feedForward">F, the feed-forward width (PyTorch's dim_feedforward).</param>
    /// <param name="dropout">Dropout on the attention weights, inside the FFN and on both residual branches, in training only.</param>
    /// <param name="activation">The FFN's activation: ReLU or GELU.</param>
    /// <param name="normFirst">Pre-LN instead of post-LN.</param>
    /// <param name="eps">Layer norm ε.</param>
    /// <param name="dtype">Parameter type (float32 when null).</param>
    /// <param name="causal">Each step attends to itself and earlier steps only.</param>
    public TransformerEncoderLayer(long dimension, long heads, long feedForward, double dropout = 0.1, Activation activation = Activation.ReLU,
        bool normFirst = true, double eps = 1e-5, ScalarType? dtype = null, bool causal = false) : base(nameof(TransformerEncoderLayer))
    {
        TransformerParts.Check(nameof(TransformerEncoderLayer), dimension, heads, activation);
        Dimension = dimension;
        Heads = heads;
        NormFirst = normFirst;
        Activation = activation;
        Eps = eps;
        Causal = causal;
        AttentionDropout = dropout;
        self_attn = nn.MultiheadAttention(dimension, heads, dropout: dropout);
        linear1 = nn.Linear(dimension, feedForward, dtype: dtype);
        linear2 = nn.Linear(feedForward, dimension, dtype: dtype);
        norm1 = nn.LayerNorm(dimension, eps, dtype: dtype);
        norm2 = nn.LayerNorm(dimension, eps, dtype: dtype);
        this.dropout = nn.Dropout(dropout);
        dropout1 = nn.Dropout(dropout);
        dropout2 = nn.Dropout(dropout);
        RegisterComponents();
        if (dtype is { } type) TorchSharp.ModuleExtensionMethods.to(self_attn, type); // its factory takes no dtype
    }

    /// <summary>D.</summary>
    public long Dimension { get; }

    /// <summary>Attention heads.</summary>
    public long Heads { get; }

    /// <summary>Pre-LN when true.</summary>
    public bool NormFirst { get; }

    /// <summary>The feed-forward activation.</summary>
    public Activation Activation { get; }

    /// <summary>Layer norm ε.</summary>
    public double Eps { get; }

    /// <summary>True when each step attends to itself and earlier steps only.</summary>
    public bool Causal { get; }

    /// <summary>The dropout probability on attention weights in training.</summary>
    public double AttentionDropout { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => forward(input, null);

    /// <summary>Encodes <c>[B, T, D]</c>; <paramref name="keyPaddingMask"/> <c>[B, T]</c> is true at padding steps, which no step attends to.</summary>
    /// <exception cref="ShapeMismatchException">The input is not [B, T, D], or the mask not [B, T].</exception>
    public Tensor forward(Tensor input, Tensor? keyPaddingMask) => forward(input, keyPaddingMask, null, 0);

    /// <summary>
    /// Encodes <c>[B, n, D]</c>, the n steps after those in <paramref name="cache"/> (whose keys and values the causal
    /// attention also reads, and to which this layer's are appended as layer <paramref name="index"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">A cache is given to a layer that is not causal.</exception>
    public Tensor forward(Tensor input, Tensor? keyPaddingMask, KeyValueCache? cache, int index)
    {
        if (cache is not null && !Causal)
            throw new InvalidOperationException("TransformerEncoderLayer: a key/value cache needs a causal layer (every step of a non-causal one reads later steps).");
        if (cache is not null && keyPaddingMask is not null)
            throw new InvalidOperationException("TransformerEncoderLayer: a key/value cache is for generation, which reads no padding; pass the padding mask without a cache.");
        if (input.dim() != 3 || input.shape[2] != Dimension)
            throw new ShapeMismatchException(nameof(TransformerEncoderLayer), $"[B, T, {Dimension}]", ShapeMismatchException.Format(input.shape));
        if (keyPaddingMask is not null && (keyPaddingMask.dim() != 2 || keyPaddingMask.shape[0] != input.shape[0] || keyPaddingMask.shape[1] != input.shape[1]))
            throw new ShapeMismatchException(nameof(TransformerEncoderLayer) + " key padding mask", $"[{input.shape[0]}, {input.shape[1]}]", ShapeMismatchException.Format(keyPaddingMask.shape));
        Tensor x = input;
        if (NormFirst)
        {
            x = x + dropout1.forward(Attention(norm1.forward(x), keyPaddingMask, cache, index));
            return x + dropout2.forward(FeedForward(norm2.forward(x)));
        }
        x = norm1.forward(x + dropout1.forward(Attention(x, keyPaddingMask, cache, index)));
        return norm2.forward(x + dropout2.forward(FeedForward(x)));
    }

    /// <summary>Self-attention on batch-first input; TorchSharp's MultiheadAttention reads [T, B, D].</summary>
    /// <remarks>
    /// An empty batch attends to nothing: libtorch's attention kernel throws on a zero-sized batch, so it gets the empty
    /// attention output, and the rest of the layer runs as for any batch. Under <see cref="Autocast"/> a call with a
    /// padding mask runs in float32 with autocast off: libtorch's C++ multi-head attention hides padded keys with a
    /// <c>masked_fill</c> that has no bfloat16 kernel on the CPU ("not implemented for 'BFloat16'"), so this is what
    /// autocast's float32 list does for an operation without a lower-precision kernel.
    /// </remarks>
    private Tensor Attention(Tensor x, Tensor? keyPaddingMask, KeyValueCache? cache, int index)
    {
        if (x.shape[0] == 0) return zeros_like(x);
        if (Causal) return CausalAttention(x, keyPaddingMask, cache, index);
        if (keyPaddingMask is not null && Autocast.IsEnabled)
            return Autocast.Without(() => SelfAttention(x.to(ScalarType.Float32), keyPaddingMask));
        return SelfAttention(x, keyPaddingMask);
    }

    private Tensor SelfAttention(Tensor x, Tensor? keyPaddingMask)
    {
        Tensor sequenceFirst = x.transpose(0, 1);
        (Tensor attended, Tensor weights) = self_attn.forward(sequenceFirst, sequenceFirst, sequenceFirst, keyPaddingMask, false, null);
        weights?.Dispose();
        return attended.transpose(0, 1);
    }

    /// <summary>
    /// Multi-head attention of the n new steps over every step so far, each query at absolute position o + i (o = the
    /// cached steps) seeing keys at positions ≤ o + i. Padding keys (<paramref name="keyPaddingMask"/> <c>[B, o + n]</c>) are
    /// masked as well; a query left with no key attends to itself (finite, where a softmax over nothing would be NaN).
    /// </summary>
    private Tensor CausalAttention(Tensor x, Tensor? keyPaddingMask, KeyValueCache? cache, int index)
    {
        var (q, k, v) = ScaledAttention.Project(self_attn, Heads, x, x);
        long offset = cache?.Offset(index) ?? 0;
        if (cache is not null) (k, v) = cache.Append(index, k, v);
        double dropout = training ? AttentionDropout : 0;
        // Nothing cached or padded: libtorch's fused attention with its own causal mask; otherwise the mask made here.
        if (offset == 0 && keyPaddingMask is null) return ScaledAttention.Attend(self_attn, q, k, v, null, causalFlag: true, dropout);
        return ScaledAttention.Attend(self_attn, q, k, v, ScaledAttention.Blocked(x.shape[1], k.shape[2], offset, causal: true, keyPaddingMask, x.device), causalFlag: false, dropout);
    }

    private Tensor FeedForward(Tensor x) => TransformerParts.FeedForward(linear1, linear2, dropout, Activation, x);
}

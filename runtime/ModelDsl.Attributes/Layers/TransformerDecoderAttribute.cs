namespace ModelDsl;

/// <summary>
/// A stack of Transformer decoder layers (Vaswani et al. 2017, §3.1) over the target <c>[B, T, D]</c> and an encoder's
/// output, the memory <c>[B, S, D]</c> named by <see cref="Memory"/>: causal self-attention over the target (step t reads
/// steps ≤ t), attention of the target over every memory step (cross-attention), and a feed-forward network
/// Linear(D, F) → activation → Linear(F, D), each with a residual connection and layer norm. PyTorch's
/// <c>nn.TransformerDecoder</c> of <c>nn.TransformerDecoderLayer(batch_first=True, norm_first=…)</c> run with the causal
/// <c>tgt_mask</c>, under the same state_dict names. With token inputs whose <c>[Embedding]</c> has a
/// <c>PaddingIndex</c>, the padding steps of the target and of the memory get no attention. Output <c>[B, T, D]</c>.
/// </summary>
public sealed class TransformerDecoderAttribute : LayerAttribute
{
    /// <summary>Declares the decoder with <paramref name="heads"/> attention heads and feed-forward width <paramref name="feedForward"/>.</summary>
    public TransformerDecoderAttribute(int heads, int feedForward)
    {
        Heads = heads;
        FeedForward = feedForward;
    }

    /// <summary>Attention heads of both attentions; each attends over D / heads features.</summary>
    public int Heads { get; }

    /// <summary>F, the feed-forward width (PyTorch's dim_feedforward).</summary>
    public int FeedForward { get; }

    /// <summary>
    /// The value cross-attention reads (PyTorch's <c>memory</c>): a block declared above (best <c>nameof(Encoder)</c>) or an
    /// <c>[Input]</c>, of shape <c>[S, D]</c> with this layer's width D. Required.
    /// </summary>
    public string? Memory { get; set; }

    /// <summary>Stacked layers.</summary>
    public int Layers { get; set; } = 1;

    /// <summary>Dropout probability in training: attention weights, inside the FFN and on the three residual branches.</summary>
    public double Dropout { get; set; } = 0.1;

    /// <summary>The feed-forward activation: ReLU (the paper's) or GELU.</summary>
    public Activation Activation { get; set; } = Activation.ReLU;

    /// <summary>Pre-LN (true, with a final norm after the stack) or post-LN (false, the paper's order).</summary>
    public bool NormFirst { get; set; } = true;

    /// <summary>The layer norms' ε (PyTorch's default 1e-5).</summary>
    public double Eps { get; set; } = 1e-5;

    /// <summary>
    /// Weight-decay group (5.4) of the layer's weight matrices; its biases join only with <c>IncludeBias</c>, its inner
    /// norms only with <c>IncludeNorm</c>. Without it, the default group.
    /// </summary>
    public string? Group { get; set; }
}

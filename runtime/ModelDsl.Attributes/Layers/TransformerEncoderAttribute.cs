namespace ModelDsl;

/// <summary>
/// A stack of Transformer encoder layers (Vaswani et al. 2017) over <c>[B, T, D]</c>: multi-head self-attention and a
/// feed-forward network Linear(D, F) → activation → Linear(F, D), each with a residual connection and layer norm.
/// <see cref="NormFirst"/> (default) puts the norm before each sublayer and one after the stack (pre-LN, the stable
/// variant of Xiong et al. 2020, used by ViT); false is the paper's post-LN. The heads must divide D.
/// </summary>
public sealed class TransformerEncoderAttribute : LayerAttribute
{
    /// <summary>Declares the encoder with <paramref name="heads"/> attention heads and feed-forward width <paramref name="feedForward"/>.</summary>
    public TransformerEncoderAttribute(int heads, int feedForward)
    {
        Heads = heads;
        FeedForward = feedForward;
    }

    /// <summary>Attention heads; each attends over D / heads features.</summary>
    public int Heads { get; }

    /// <summary>F, the feed-forward width (PyTorch's dim_feedforward).</summary>
    public int FeedForward { get; }

    /// <summary>Stacked layers.</summary>
    public int Layers { get; set; } = 1;

    /// <summary>Dropout probability in training: attention weights, inside the FFN and on both residual branches.</summary>
    public double Dropout { get; set; } = 0.1;

    /// <summary>The feed-forward activation: ReLU (the paper's) or GELU (ViT's, BERT's).</summary>
    public Activation Activation { get; set; } = Activation.ReLU;

    /// <summary>Pre-LN (true) or post-LN (false).</summary>
    public bool NormFirst { get; set; } = true;

    /// <summary>The layer norms' ε (PyTorch's default 1e-5; torchvision's ViT uses 1e-6).</summary>
    public double Eps { get; set; } = 1e-5;

    /// <summary>
    /// Causal self-attention (GPT's decoder-only blocks; PyTorch's <c>is_causal</c>, Keras's <c>use_causal_mask</c>): step
    /// t attends to steps ≤ t only, so no output depends on a later step. False by default (every step sees every step).
    /// </summary>
    public bool Causal { get; set; }

    /// <summary>How the weights start: PyTorch's (default) or GPT-2's N(0, 0.02²) with the residual projections scaled by 1/√(2·Layers).</summary>
    public TransformerInit Init { get; set; } = TransformerInit.PyTorch;

    /// <summary>
    /// Weight-decay group (5.4) of the layer's weight matrices; its biases join only with <c>IncludeBias</c>, its inner
    /// norms only with <c>IncludeNorm</c>. Without it, the default group.
    /// </summary>
    public string? Group { get; set; }
}

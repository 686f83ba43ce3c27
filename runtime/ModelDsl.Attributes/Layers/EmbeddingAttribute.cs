namespace ModelDsl;

/// <summary>
/// A lookup table of <see cref="Vocabulary"/> rows of <see cref="Dimension"/> features (PyTorch's <c>nn.Embedding</c>,
/// Keras's <c>Embedding</c>): token ids <c>[B, T]</c> (Int64) become <c>[B, T, D]</c>. It must be the model's first
/// layer, and <c>[Model(T)]</c> then declares the token input: the generated forward, <c>InputShape</c>, the summary and
/// the ONNX input all read Int64 ids. Rows start as N(0, 1), PyTorch's init. With <see cref="PaddingIndex"/> set, that
/// row is zero and gets no gradient (PyTorch's <c>padding_idx</c>), and the steps holding it are masked downstream:
/// every <c>[TransformerEncoder]</c> gets them as its key padding mask and <c>[GlobalAvgPool1d]</c> averages over the
/// other steps only (Keras's <c>mask_zero</c> semantics), for as long as the layers keep the T steps.
/// Weight decay leaves the table out unless its group says <c>IncludeEmbedding = true</c>.
/// </summary>
public sealed class EmbeddingAttribute : LayerAttribute
{
    /// <summary>Declares a table of <paramref name="vocabulary"/> token ids mapped to <paramref name="dimension"/> features.</summary>
    public EmbeddingAttribute(int vocabulary, int dimension)
    {
        Vocabulary = vocabulary;
        Dimension = dimension;
    }

    /// <summary>V, the number of token ids (0 … V − 1).</summary>
    public int Vocabulary { get; }

    /// <summary>D, the features per token.</summary>
    public int Dimension { get; }

    /// <summary>
    /// The padding token id, in [0, <see cref="Vocabulary"/>): its row stays zero and its steps are masked. Left unset
    /// (−1), no id is padding. PyTorch's negative ids counted from the end are not accepted (MD0064).
    /// </summary>
    public int PaddingIndex { get; set; } = -1;

    /// <summary>
    /// The standard deviation of the rows' N(0, σ²) init: 1 by default (PyTorch's nn.Embedding), 0.02 for GPT-2's token
    /// table (Radford et al. 2019; nanoGPT), which a tied output projection reads as its weight. Positive (MD0003).
    /// </summary>
    public double InitStd { get; set; } = 1.0;

    /// <summary>Weight-decay group of the table (5.4); the group decays it only with <c>IncludeEmbedding = true</c>.</summary>
    public string? Group { get; set; }
}

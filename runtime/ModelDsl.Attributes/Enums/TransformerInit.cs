namespace ModelDsl;

/// <summary>How a <c>[TransformerEncoder]</c>'s weights start.</summary>
public enum TransformerInit
{
    /// <summary>
    /// PyTorch's: attention input projections Glorot-uniform (nn.MultiheadAttention._reset_parameters), linear layers
    /// U(±1/√fan_in), biases of the attention 0.
    /// </summary>
    PyTorch,

    /// <summary>
    /// GPT-2's (Radford et al. 2019, §2.3; nanoGPT's <c>_init_weights</c>): every weight N(0, 0.02²), biases 0, and the two
    /// projections that end a residual branch (attention output and the MLP's second layer) N(0, (0.02/√(2·L))²) with L
    /// the number of layers, so the residual stream's variance does not grow with depth.
    /// </summary>
    Gpt2,
}

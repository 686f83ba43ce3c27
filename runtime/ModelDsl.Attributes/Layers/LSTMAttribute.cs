namespace ModelDsl;

/// <summary>
/// Long short-term memory (Hochreiter and Schmidhuber 1997) over <c>[B, T, F]</c>, TorchSharp's <c>nn.LSTM</c> with
/// <c>batch_first</c>. The forget-gate bias starts at <see cref="ForgetBias"/> = 1 (Jozefowicz et al. 2015, "An Empirical
/// Exploration of Recurrent Network Architectures": the cell keeps its memory until it learns to forget).
/// </summary>
public sealed class LSTMAttribute : RecurrentAttribute
{
    /// <summary>Declares an LSTM with <paramref name="units"/> hidden units per direction.</summary>
    public LSTMAttribute(int units) : base(units) { }

    /// <summary>The forget gate's initial bias (1 by default; 0 is PyTorch's own start).</summary>
    public double ForgetBias { get; set; } = 1.0;
}

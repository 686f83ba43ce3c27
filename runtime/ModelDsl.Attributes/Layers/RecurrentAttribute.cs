namespace ModelDsl;

/// <summary>
/// Base of the recurrent layers <see cref="LSTMAttribute"/> and <see cref="GRUAttribute"/>: they read sequences
/// <c>[B, T, F]</c> (batch first, time second, features last: Keras's layout and PyTorch's <c>batch_first=True</c>) and
/// give <c>[B, T, D·Units]</c> with <see cref="ReturnSequences"/> or the last step's <c>[B, D·Units]</c>, D = 2 when
/// <see cref="Bidirectional"/>. Their weights start as the field's recurrent defaults: Glorot-uniform input weights,
/// each gate's recurrent block orthogonal (Saxe et al. 2014), biases zero.
/// </summary>
public abstract class RecurrentAttribute : LayerAttribute
{
    /// <summary>Declares the layer with <paramref name="units"/> hidden units per direction.</summary>
    protected RecurrentAttribute(int units) => Units = units;

    /// <summary>H, hidden units per direction.</summary>
    public int Units { get; }

    /// <summary>Stacked layers (PyTorch's <c>num_layers</c>).</summary>
    public int Layers { get; set; } = 1;

    /// <summary>Also read the sequence backwards and concatenate both directions (D = 2).</summary>
    public bool Bidirectional { get; set; }

    /// <summary>Dropout probability between stacked layers, in training only (PyTorch's <c>dropout</c>; needs Layers ≥ 2).</summary>
    public double Dropout { get; set; }

    /// <summary>Every step's output <c>[B, T, D·H]</c> (true), or the last step's <c>[B, D·H]</c> (false, Keras's default).</summary>
    public bool ReturnSequences { get; set; }

    /// <summary>
    /// Weight-decay group (5.4) of the layer's weight matrices; its biases join only with <c>IncludeBias</c>, its inner
    /// norms only with <c>IncludeNorm</c>. Without it, the default group.
    /// </summary>
    public string? Group { get; set; }
}

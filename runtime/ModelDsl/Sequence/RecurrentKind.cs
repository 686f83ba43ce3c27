namespace ModelDsl;

/// <summary>The recurrent cell a <see cref="Recurrent"/> layer runs.</summary>
public enum RecurrentKind
{
    /// <summary>Long short-term memory (Hochreiter and Schmidhuber 1997): gates i, f, g, o in PyTorch's order.</summary>
    LSTM,
    /// <summary>Gated recurrent unit (Cho et al. 2014): gates r, z, n in PyTorch's order.</summary>
    GRU,
}

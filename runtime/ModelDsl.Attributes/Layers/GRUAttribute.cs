namespace ModelDsl;

/// <summary>Gated recurrent unit (Cho et al. 2014) over <c>[B, T, F]</c>, TorchSharp's <c>nn.GRU</c> with <c>batch_first</c>.</summary>
public sealed class GRUAttribute : RecurrentAttribute
{
    /// <summary>Declares a GRU with <paramref name="units"/> hidden units per direction.</summary>
    public GRUAttribute(int units) : base(units) { }
}

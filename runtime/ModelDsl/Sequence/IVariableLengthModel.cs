namespace ModelDsl;

/// <summary>
/// A generated token model declared with <c>[Model(Context = T)]</c>: it reads token ids <c>[B, t]</c> of any length
/// 1 ≤ t ≤ <see cref="Context"/>, and its ONNX export has a dynamic sequence axis.
/// </summary>
public interface IVariableLengthModel : ITokenModel
{
    /// <summary>T: the longest token sequence the model reads.</summary>
    long Context { get; }
}

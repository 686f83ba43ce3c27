using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// A sequence layer that can skip padding steps: given the mask <c>[B, T]</c> (true at padding), it computes what it
/// would for the unpadded sequences. The generated forward of a model whose <c>[Embedding]</c> has a
/// <c>PaddingIndex</c> computes the mask once from the token ids and passes it to each such layer while the steps are
/// the tokens' (the layers before keep <c>[B, T, …]</c>).
/// </summary>
public interface IPaddingMaskedLayer
{
    /// <summary>Applies the layer to <c>[B, T, F]</c>; <paramref name="paddingMask"/> <c>[B, T]</c> is true at padding steps (null: none).</summary>
    Tensor forward(Tensor input, Tensor? paddingMask);
}

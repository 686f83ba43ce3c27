using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// A sequence layer that reads a second sequence besides its input: a decoder attending over an encoder's output (the
/// memory). The generated forward of a graph model calls it with the value its attribute's <c>Memory</c> names and, for
/// token inputs with a padding id, the padding masks of both sides.
/// </summary>
public interface ICrossAttentionLayer
{
    /// <summary>
    /// Applies the layer to the target <c>[B, T, D]</c> over the memory <c>[B, S, D]</c>; the masks <c>[B, T]</c> and
    /// <c>[B, S]</c> are true at padding steps (null: none).
    /// </summary>
    Tensor forward(Tensor target, Tensor memory, Tensor? targetPaddingMask, Tensor? memoryPaddingMask);
}

using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>What generated block templates compute at run time, where the shape of a use is not written into the template.</summary>
public static class Merges
{
    /// <summary>
    /// The dimension a concatenation joins along: channels (1) of images [B, C, H, W], else the last (features of vectors
    /// and sequences); the same rule the generator applies to a model's own concatenations.
    /// </summary>
    public static long ConcatAxis(Tensor x) => x.dim() == 4 ? 1 : x.dim() - 1;
}

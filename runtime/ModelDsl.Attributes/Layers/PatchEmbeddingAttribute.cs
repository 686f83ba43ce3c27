namespace ModelDsl;

/// <summary>
/// The Vision Transformer's patch embedding (Dosovitskiy et al. 2021, eq. 1): an image <c>[B, C, H, W]</c> cut into
/// non-overlapping P×P patches, each mapped linearly to D features, gives the sequence <c>[B, (H/P)·(W/P), D]</c>
/// (patches in row-major order). H and W must be multiples of P.
/// </summary>
public sealed class PatchEmbeddingAttribute : LayerAttribute
{
    /// <summary>Declares P×P patches embedded into <paramref name="dimension"/> features.</summary>
    public PatchEmbeddingAttribute(int patchSize, int dimension)
    {
        PatchSize = patchSize;
        Dimension = dimension;
    }

    /// <summary>P.</summary>
    public int PatchSize { get; }

    /// <summary>D.</summary>
    public int Dimension { get; }
}

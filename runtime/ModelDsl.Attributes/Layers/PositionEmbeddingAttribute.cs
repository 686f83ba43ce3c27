namespace ModelDsl;

/// <summary>
/// Adds a learned position embedding [1, T, D] to a sequence [B, T, D] (ViT, Dosovitskiy et al. 2021), as torchvision's
/// VisionTransformer's <c>encoder.pos_embedding</c>, drawn from N(0, 0.02²). Unlike
/// <see cref="PositionalEncodingAttribute"/>'s [T, D] table, its parameter keeps torchvision's leading 1, so a ViT
/// checkpoint loads as it is.
/// </summary>
public sealed class PositionEmbeddingAttribute : LayerAttribute
{
}

namespace ModelDsl;

/// <summary>
/// Prepends a learned token to a sequence, [B, T, D] → [B, T + 1, D] (Devlin et al. 2019's [CLS]; ViT, Dosovitskiy et
/// al. 2021): torchvision's VisionTransformer <c>class_token</c> [1, 1, D], zeros at the start. A later
/// <see cref="SelectTokenAttribute"/> reads its output position.
/// </summary>
public sealed class ClassTokenAttribute : LayerAttribute
{
}

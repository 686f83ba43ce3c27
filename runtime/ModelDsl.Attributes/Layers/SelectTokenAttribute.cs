namespace ModelDsl;

/// <summary>
/// Keeps one position of a sequence, [B, T, D] → [B, D]: <c>x[:, index]</c>, as ViT reads its class token
/// (torchvision's <c>x[:, 0]</c>) before the head. 0 ≤ index &lt; T (MD0003).
/// </summary>
public sealed class SelectTokenAttribute : LayerAttribute
{
    /// <summary>Keeps position <paramref name="index"/>.</summary>
    public SelectTokenAttribute(int index) => Index = index;

    /// <summary>The position kept, from 0.</summary>
    public int Index { get; }
}

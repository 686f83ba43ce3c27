namespace ModelDsl;

/// <summary>Averages each channel over the whole image: [B, C, H, W] → [B, C], ready for a Dense head.</summary>
public sealed class GlobalAvgPoolAttribute : LayerAttribute
{
}

namespace ModelDsl;

/// <summary>The mean over time: <c>[B, T, F] → [B, F]</c> (Keras's GlobalAveragePooling1D).</summary>
public sealed class GlobalAvgPool1dAttribute : LayerAttribute
{
}

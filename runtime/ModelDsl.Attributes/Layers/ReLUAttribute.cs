namespace ModelDsl;

/// <summary>max(0, x).</summary>
public sealed class ReLUAttribute : LayerAttribute
{
}

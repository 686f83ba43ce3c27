namespace ModelDsl;

/// <summary>Gaussian error linear unit.</summary>
public sealed class GELUAttribute : LayerAttribute
{
}

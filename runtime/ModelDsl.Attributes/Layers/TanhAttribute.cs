namespace ModelDsl;

/// <summary>Hyperbolic tangent; pair with Xavier init (5.1.3).</summary>
public sealed class TanhAttribute : LayerAttribute
{
}

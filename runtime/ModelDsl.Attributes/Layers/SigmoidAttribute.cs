namespace ModelDsl;

/// <summary>Logistic sigmoid; pair with Xavier init (5.1.3).</summary>
public sealed class SigmoidAttribute : LayerAttribute
{
}

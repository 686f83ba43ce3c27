namespace ModelDsl;

/// <summary>Flattens every dimension but the batch into one.</summary>
public sealed class FlattenAttribute : LayerAttribute
{
}

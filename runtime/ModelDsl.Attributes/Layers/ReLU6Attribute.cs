namespace ModelDsl;

/// <summary>
/// ReLU6: min(max(0, x), 6), shape-preserving (TorchSharp <c>nn.ReLU6</c>; Krizhevsky 2010, MobileNetV2's activation,
/// Sandler et al. 2018). A rectifier for the init rules: He uses gain √2, as for ReLU.
/// </summary>
public sealed class ReLU6Attribute : LayerAttribute
{
}

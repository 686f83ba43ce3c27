namespace ModelDsl;

/// <summary>
/// Hard swish: x·ReLU6(x + 3)/6, shape-preserving (TorchSharp <c>nn.Hardswish</c>; Howard et al. 2019, MobileNetV3, a
/// piecewise approximation of SiLU). He uses gain √2, as for SiLU and GELU (PyTorch's calculate_gain has no entry for it).
/// </summary>
public sealed class HardswishAttribute : LayerAttribute
{
}

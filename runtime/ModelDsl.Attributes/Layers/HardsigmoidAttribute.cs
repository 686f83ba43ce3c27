namespace ModelDsl;

/// <summary>
/// Hard sigmoid: ReLU6(x + 3)/6 = min(max(x/6 + 1/2, 0), 1), PyTorch's definition (TorchSharp <c>nn.Hardsigmoid</c>;
/// Howard et al. 2019, MobileNetV3's squeeze-excitation gate; ONNX's HardSigmoid with alpha 1/6, beta 1/2). Bounded and
/// saturating: He before it is warned (MD0011), as before Sigmoid.
/// </summary>
public sealed class HardsigmoidAttribute : LayerAttribute
{
}

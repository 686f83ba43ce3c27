namespace ModelDsl;

/// <summary>
/// Mish: x·tanh(softplus(x)) = x·tanh(ln(1 + eˣ)), shape-preserving (TorchSharp <c>nn.Mish</c>; Misra 2019). He uses
/// gain √2, as for SiLU (PyTorch's calculate_gain has no entry for it).
/// </summary>
public sealed class MishAttribute : LayerAttribute
{
}

namespace ModelDsl;

/// <summary>
/// SiLU (swish): x·σ(x) = x / (1 + e^−x), shape-preserving (TorchSharp <c>nn.SiLU</c>; Elfwing et al. 2018, Ramachandran
/// et al. 2017). A He init before it uses gain √2, as for ReLU and GELU: PyTorch's calculate_gain defines no SiLU gain.
/// </summary>
public sealed class SiLUAttribute : LayerAttribute
{
}

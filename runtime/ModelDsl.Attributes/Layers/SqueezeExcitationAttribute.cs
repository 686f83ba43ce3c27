namespace ModelDsl;

/// <summary>
/// Squeeze-and-excitation (Hu et al. 2018), as torchvision.ops.SqueezeExcitation: each channel of an image [B, C, H, W]
/// is scaled by a gate computed from all channels' means, y = x · scale(fc2(activation(fc1(mean_HW(x))))), with fc1 a
/// 1×1 convolution C → <see cref="SqueezeChannels"/> and fc2 back to C. The module's children are torchvision's
/// (avgpool, fc1, fc2, activation, scale_activation), so its keys are fc1.weight, fc1.bias, fc2.weight, fc2.bias.
/// MobileNetV3 uses ReLU and a hard sigmoid gate, EfficientNet SiLU and a sigmoid, RegNet ReLU and a sigmoid.
/// </summary>
public sealed class SqueezeExcitationAttribute : LayerAttribute
{
    /// <summary>Squeezes to <paramref name="squeezeChannels"/> (at least 1) channels.</summary>
    public SqueezeExcitationAttribute(int squeezeChannels) => SqueezeChannels = squeezeChannels;

    /// <summary>The width of the bottleneck between fc1 and fc2.</summary>
    public int SqueezeChannels { get; }

    /// <summary>After fc1 (default ReLU).</summary>
    public SqueezeActivation Activation { get; set; }

    /// <summary>The gate after fc2 (default sigmoid).</summary>
    public SqueezeScale ScaleActivation { get; set; }
}

/// <summary>The activation after a squeeze-excitation's first convolution.</summary>
public enum SqueezeActivation
{
    /// <summary>max(0, x) (MobileNetV3, RegNet).</summary>
    ReLU,

    /// <summary>x·σ(x) (EfficientNet).</summary>
    SiLU,
}

/// <summary>The gate of a squeeze-excitation.</summary>
public enum SqueezeScale
{
    /// <summary>σ(x) (the paper, EfficientNet, RegNet).</summary>
    Sigmoid,

    /// <summary>PyTorch's hard sigmoid, ReLU6(x + 3)/6 (MobileNetV3).</summary>
    Hardsigmoid,
}

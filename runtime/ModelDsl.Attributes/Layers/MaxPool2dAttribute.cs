namespace ModelDsl;

/// <summary>Max pooling over square windows of an image [B, C, H, W] (TorchSharp <c>nn.MaxPool2d</c>).</summary>
public sealed class MaxPool2dAttribute : LayerAttribute
{
    /// <summary>Declares max pooling over <paramref name="kernel"/>×<paramref name="kernel"/> windows.</summary>
    public MaxPool2dAttribute(int kernel) => Kernel = kernel;

    /// <summary>Side of the pooling window.</summary>
    public int Kernel { get; }

    /// <summary>Step between windows; default (0 = unset) is the kernel size, so windows do not overlap.</summary>
    public int Stride { get; set; }

    /// <summary>
    /// Implicit padding on each side of height and width (−∞ for max pooling, so padding never wins a window), at most half the kernel (PyTorch's rule; MD0037 otherwise).
    /// </summary>
    public int Padding { get; set; }

    /// <summary>
    /// Rounds the output size up instead of down, ⌈(H + 2p − k) / s⌉ + 1, keeping only windows that start inside the input
    /// or its left padding (PyTorch's <c>ceil_mode</c>; GoogLeNet and SqueezeNet pool this way).
    /// </summary>
    public bool CeilMode { get; set; }
}

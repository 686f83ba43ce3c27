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
}

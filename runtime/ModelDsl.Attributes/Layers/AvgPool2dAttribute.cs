namespace ModelDsl;

/// <summary>Average pooling over square windows of an image [B, C, H, W] (TorchSharp <c>nn.AvgPool2d</c>).</summary>
public sealed class AvgPool2dAttribute : LayerAttribute
{
    /// <summary>Declares average pooling over <paramref name="kernel"/>×<paramref name="kernel"/> windows.</summary>
    public AvgPool2dAttribute(int kernel) => Kernel = kernel;

    /// <summary>Side of the pooling window.</summary>
    public int Kernel { get; }

    /// <summary>Step between windows; default (0 = unset) is the kernel size, so windows do not overlap.</summary>
    public int Stride { get; set; }
}

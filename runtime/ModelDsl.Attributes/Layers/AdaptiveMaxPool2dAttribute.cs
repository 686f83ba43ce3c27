namespace ModelDsl;

/// <summary>
/// Adaptive maximum pooling to a fixed output size (TorchSharp <c>nn.AdaptiveMaxPool2d</c>): [B, C, H, W] →
/// [B, C, <see cref="Height"/>, <see cref="Width"/>] whatever H and W are. Output cell (i, j) takes the maximum of rows
/// ⌊i·H/h⌋ to ⌈(i+1)·H/h⌉ − 1 and columns likewise (PyTorch's adaptive pooling bins; torchvision's VGG ends its features
/// with an average pool to 7×7, ResNet with one to 1×1).
/// </summary>
public sealed class AdaptiveMaxPool2dAttribute : LayerAttribute
{
    /// <summary>Pools to a <paramref name="size"/>×<paramref name="size"/> map.</summary>
    public AdaptiveMaxPool2dAttribute(int size) : this(size, size)
    {
    }

    /// <summary>Pools to a <paramref name="height"/>×<paramref name="width"/> map.</summary>
    public AdaptiveMaxPool2dAttribute(int height, int width)
    {
        Height = height;
        Width = width;
    }

    /// <summary>The output height (at least 1).</summary>
    public int Height { get; }

    /// <summary>The output width (at least 1).</summary>
    public int Width { get; }
}

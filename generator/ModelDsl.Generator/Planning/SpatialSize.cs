namespace ModelDsl.Generator.Planning;

/// <summary>Output height/width of a convolution or pooling window, as PyTorch computes it (ceil_mode off).</summary>
internal static class SpatialSize
{
    /// <summary>MD0031's explanation for a convolution or pooling window, whose output shrinks as the window grows.</summary>
    public const string WindowTooSmall = "the output size floor((H + 2·padding − dilation·(kernel − 1) − 1) / stride) + 1 must be at least 1; "
        + "use a smaller kernel, stride or dilation, add padding, or remove a pooling layer";

    /// <summary>floor((size + 2·padding − dilation·(kernel − 1) − 1) / stride) + 1; ≤ 0 means the window no longer fits.</summary>
    public static long Output(long size, long kernel, long stride, long padding, long dilation)
    {
        long span = size + 2 * padding - dilation * (kernel - 1) - 1;
        // Floor division: C#'s / truncates toward zero, which would turn a negative span of −1 into 0 → size 1.
        long quotient = span >= 0 ? span / stride : -((-span + stride - 1) / stride);
        return quotient + 1;
    }
}

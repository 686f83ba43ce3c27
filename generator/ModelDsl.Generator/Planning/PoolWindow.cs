namespace ModelDsl.Generator.Planning;

/// <summary>
/// The window of the pooling layers (MaxPool2d, AvgPool2d, MaxPool1d, AvgPool1d): kernel and stride, the stride
/// defaulting to the kernel (0 means unset: attribute properties cannot be nullable), both positive (MD0003).
/// </summary>
internal static class PoolWindow
{
    /// <summary>Reads and checks the window; false after reporting MD0003.</summary>
    public static bool Read(LayerContext context, string name, out long kernel, out long stride, out string display)
    {
        kernel = (long)context.Number("Kernel");
        stride = (long)context.Number("Stride");
        if (stride == 0) stride = kernel;
        display = stride == kernel ? $"{name}({kernel})" : $"{name}({kernel}, stride {stride})";
        return context.RequirePositive(name + " kernel", kernel) && context.RequirePositive(name + " Stride", stride);
    }
}

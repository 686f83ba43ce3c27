namespace ModelDsl;

/// <summary>
/// Maximum pooling over time on a sequence <c>[B, T, F]</c>: each feature over windows of <see cref="Kernel"/> steps,
/// <c>[B, T', F]</c> with T' = ⌊(T − kernel) / stride⌋ + 1 (PyTorch's <c>max_pool1d</c> on <c>[B, F, T]</c>; Keras's MaxPooling1D).
/// </summary>
public sealed class MaxPool1dAttribute : LayerAttribute
{
    /// <summary>Declares maximum pooling over windows of <paramref name="kernel"/> steps.</summary>
    public MaxPool1dAttribute(int kernel) => Kernel = kernel;

    /// <summary>Steps per window.</summary>
    public int Kernel { get; }

    /// <summary>Steps between windows; default (0 = unset) is the kernel size, so windows do not overlap.</summary>
    public int Stride { get; set; }
}

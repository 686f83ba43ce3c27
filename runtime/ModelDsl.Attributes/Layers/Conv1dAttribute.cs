namespace ModelDsl;

/// <summary>
/// A 1-D convolution over time on a sequence <c>[B, T, F]</c> (batch first, features last, the layout of LSTM and
/// Transformer layers and of Keras's Conv1D): <c>[B, T', C]</c> with C = <see cref="ConvolutionAttribute.OutChannels"/>
/// and T' = ⌊(T + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1, or T with <c>Padding = Padding.Same</c>
/// (stride 1). The generated layer (<c>ModelDsl.SequenceConv1d</c>) transposes to PyTorch's channels-first
/// <c>[B, F, T]</c>, convolves with a <c>[C, F, k]</c> kernel and transposes back. Initialization uses fan_in = F·k and
/// fan_out = C·k.
/// </summary>
public sealed class Conv1dAttribute : ConvolutionAttribute
{
    /// <summary>Declares a convolution with <paramref name="outChannels"/> filters over <paramref name="kernel"/> steps.</summary>
    public Conv1dAttribute(int outChannels, int kernel) : base(outChannels, kernel)
    {
    }
}

namespace ModelDsl;

/// <summary>
/// Named paddings for <see cref="ConvolutionAttribute.Padding"/> (Conv2d, Conv1d), which also takes a number of zeros per side
/// (<c>Padding = 1</c>). Reads as <c>Padding = Padding.Same</c>. A file that also imports the <c>TorchSharp</c>
/// namespace (which has its own <c>Padding</c>) writes <c>ModelDsl.Padding.Same</c>.
/// </summary>
public enum Padding
{
    /// <summary>No padding (the same as <c>Padding = 0</c>).</summary>
    Valid,
    /// <summary>Pads so the output keeps the input's height and width (a sequence's length for Conv1d); needs <c>Stride = 1</c> (as PyTorch's <c>padding='same'</c>).</summary>
    Same,
}

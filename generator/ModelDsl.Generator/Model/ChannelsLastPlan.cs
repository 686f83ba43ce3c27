namespace ModelDsl.Generator.Model;

/// <summary>
/// Where the generated forward switches the activations to channels-last (NHWC) strides, which libtorch's CPU pooling
/// and oneDNN's convolutions run several times faster: at the input (<see cref="Block"/> = -1), or after layer
/// <see cref="Layer"/> of block <see cref="Block"/> (for a named block, after the whole block: <see cref="Layer"/> = -1).
/// <see cref="After"/> is what the summary names ("input", "conv1", "stem").
/// </summary>
internal sealed record ChannelsLastPlan(int Block, int Layer, string After)
{
    /// <summary>The model's output is an image: it is handed back with contiguous (NCHW) strides.</summary>
    public bool ContiguousOutput { get; init; }
}

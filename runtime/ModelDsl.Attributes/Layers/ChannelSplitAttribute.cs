namespace ModelDsl;

/// <summary>
/// One of <see cref="Parts"/> equal chunks of the channels (of an image [C, H, W], or of features [F]):
/// <c>torch.chunk(x, parts, dim=1)[index]</c>, ShuffleNetV2's channel split (Ma et al. 2018), where one half passes
/// unchanged and the other through the branch. Parts must divide the channels (MD0111); 0 ≤ index &lt; parts (MD0003).
/// </summary>
public sealed class ChannelSplitAttribute : LayerAttribute
{
    /// <summary>Takes chunk <paramref name="index"/> of <paramref name="parts"/>.</summary>
    public ChannelSplitAttribute(int parts, int index)
    {
        Parts = parts;
        Index = index;
    }

    /// <summary>How many equal chunks.</summary>
    public int Parts { get; }

    /// <summary>Which chunk, from 0.</summary>
    public int Index { get; }
}

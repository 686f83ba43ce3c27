namespace ModelDsl;

/// <summary>
/// Channel shuffle (Zhang et al. 2018, ShuffleNet; TorchSharp <c>nn.ChannelShuffle</c>): an image's C channels, seen as
/// <see cref="Groups"/> groups of C/g, are interleaved, [B, g, C/g, H, W] → transpose → [B, C, H, W], so the next grouped
/// layer mixes information across groups. Groups must divide C (MD0111).
/// </summary>
public sealed class ChannelShuffleAttribute : LayerAttribute
{
    /// <summary>Shuffles <paramref name="groups"/> groups.</summary>
    public ChannelShuffleAttribute(int groups) => Groups = groups;

    /// <summary>g.</summary>
    public int Groups { get; }
}

using System.Linq;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Layers;

/// <summary>[ChannelShuffle(g)] and [ChannelSplit(parts, index)] (ShuffleNetV2): their modules, output shapes and argument checks.</summary>
public class ChannelShuffleRuleTests
{
    private const string Usings = "using ModelDsl;\n";

    [Fact]
    public void Shuffle_keeps_the_shape_and_split_takes_one_chunk()
    {
        string code = GeneratorHarness.Run(Usings + "[Model(6, 3, 3)] [ChannelShuffle(3), ChannelSplit(3, 2)] public partial class Net { }").AssertClean().Single();
        Assert.Contains("channelshuffle = global::TorchSharp.torch.nn.ChannelShuffle(3);", code);
        Assert.Contains("channelsplit = new global::ModelDsl.ChannelSplit(3, 2);", code);
        Assert.Contains("/// channelsplit: ChannelSplit(3, 2)", code);
        Assert.Contains("[B, 2, 3, 3]", code);
        Assert.Contains("channels 4–5 of 6", code);
    }

    [Theory]
    [InlineData("[Model(6, 3, 3)] [ChannelSplit(4, 0)]", "MD0111")]
    [InlineData("[Model(6, 3, 3)] [ChannelSplit(2, 2)]", "MD0003")]
    [InlineData("[Model(6, 3, 3)] [ChannelSplit(2, -1)]", "MD0003")]
    [InlineData("[Model(6)] [ChannelShuffle(2)]", "MD0035")]
    [InlineData("[Model(6, 3, 3)] [ChannelShuffle(0)]", "MD0003")]
    public void Misfitting_arguments_are_refused(string declaration, string id)
        => Assert.Contains(GeneratorHarness.Run(Usings + declaration + " public partial class Net { }").Diagnostics, d => d.Id == id);
}

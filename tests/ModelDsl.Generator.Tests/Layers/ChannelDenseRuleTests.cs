using System.Linq;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Layers;

/// <summary>ConvNeXt's pieces: [LayerNorm(Channels = true)], [ChannelDense(units)], [LayerScale]: modules, shapes, parameter counts, image-only checks.</summary>
public class ChannelDenseRuleTests
{
    private const string Usings = "using ModelDsl;\n";

    [Fact]
    public void The_convnext_pieces_plan_their_modules()
    {
        string code = GeneratorHarness.Run(Usings + "[Model(4, 3, 3)] [LayerNorm(Channels = true, Eps = 1e-6), ChannelDense(8), LayerScale] public partial class Net { }").AssertClean().Single();
        Assert.Contains("layernorm = new global::ModelDsl.ChannelLayerNorm(4, eps: 1E-06, affine: true, dtype: dtype);", code);
        Assert.Contains("channeldense = new global::ModelDsl.ChannelDense(4, 8, generator, dtype: dtype);", code);
        Assert.Contains("layerscale = new global::ModelDsl.LayerScale(new long[] { 8, 1, 1 }, 1E-06, dtype: dtype);", code);
        Assert.Contains("[B, 8, 3, 3]", code);
        Assert.Contains("/// channeldense: ChannelDense(8)", code);
    }

    [Theory]
    [InlineData("[Model(4)] [ChannelDense(3)]", "MD0035")]
    [InlineData("[Model(4)] [LayerNorm(Channels = true)]", "MD0035")]
    [InlineData("[Model(4, 3, 3)] [ChannelDense(0)]", "MD0003")]
    public void Misfits_are_refused(string declaration, string id)
        => Assert.Contains(GeneratorHarness.Run(Usings + declaration + " public partial class Net { }").Diagnostics, d => d.Id == id);
}

using System.Linq;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Layers;

/// <summary>[SqueezeExcitation(S, …)] and [StochasticDepth(p)]: their modules, seeded init, parameter counts and the checks on their arguments.</summary>
public class SqueezeExcitationRuleTests
{
    private const string Usings = "using ModelDsl;\n";

    [Fact]
    public void Squeeze_excitation_builds_torchvisions_module_from_the_models_generator()
    {
        string code = GeneratorHarness.Run(Usings + "[Model(16, 5, 5)] [SqueezeExcitation(4, Activation = SqueezeActivation.SiLU, ScaleActivation = SqueezeScale.Hardsigmoid), GlobalAvgPool, Dense(2)] public partial class Net { }").AssertClean().Single();
        Assert.Contains("se = new global::ModelDsl.SqueezeExcitation(16, 4, global::ModelDsl.SqueezeActivation.SiLU, global::ModelDsl.SqueezeScale.Hardsigmoid, generator, dtype: dtype);", code);
        Assert.Contains("/// se: SqueezeExcitation(4)", code);
        Assert.Contains("/// se: SqueezeExcitation(4)   [B, 16, 5, 5]     148  TorchSharp default", code);   // 2 · 16 · 4 + 4 + 16
    }

    [Theory]
    [InlineData("[Model(16)] [SqueezeExcitation(4)]", "MD0035")]
    [InlineData("[Model(16, 5, 5)] [SqueezeExcitation(0)]", "MD0003")]
    [InlineData("[Model(16)] [StochasticDepth(1)]", "MD0004")]
    [InlineData("[Model(16)] [StochasticDepth(-0.1)]", "MD0004")]
    public void Arguments_out_of_range_and_features_are_refused(string declaration, string id)
        => Assert.Contains(GeneratorHarness.Run(Usings + declaration + " public partial class Net { }").Diagnostics, d => d.Id == id);

    [Fact]
    public void Stochastic_depth_builds_the_module_with_its_mode()
    {
        string code = GeneratorHarness.Run(Usings + "[Model(8)] [Dense(8), StochasticDepth(0.2, Mode = StochasticDepthMode.Batch)] public partial class Net { }").AssertClean().Single();
        Assert.Contains("stochasticdepth = new global::ModelDsl.StochasticDepth(0.2, global::ModelDsl.StochasticDepthMode.Batch);", code);
        Assert.Contains("StochasticDepth(0.2, batch)", code);
    }
}

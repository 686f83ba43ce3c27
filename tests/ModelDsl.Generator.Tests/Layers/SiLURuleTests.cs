using System.Linq;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Layers;

/// <summary>[SiLU]: x·σ(x) as nn.SiLU(); a smooth rectifier for the init rules (He gain √2, as GELU; no Xavier warning).</summary>
public class SiLURuleTests
{
    private const string Usings = "using ModelDsl;\nusing static ModelDsl.Init;\n";

    [Fact]
    public void Generates_nn_SiLU_and_He_uses_gain_sqrt_2()
    {
        string code = GeneratorHarness.Run(Usings + "[Model(4)] [Dense(3, Init = He), SiLU, Dense(2)] public partial class Net { }").AssertClean().Single();
        Assert.Contains("private readonly global::TorchSharp.Modules.SiLU silu;", code);
        Assert.Contains("silu = global::TorchSharp.torch.nn.SiLU();", code);
        Assert.Contains("// silu: SiLU: x·σ(x)", code);
        // He normal: std = √2/√fan_in = √2/√4 (He et al. 2015); the gain is written round-trip exact.
        Assert.Contains("HeNormal(dense1.weight, gain: 1.4142135623730951, global::ModelDsl.FanMode.FanIn, generator);", code);
        Assert.Contains("He normal, std √2/√4 = 0.7071", code);
    }

    [Fact]
    public void Xavier_before_SiLU_is_not_warned_and_a_vectorized_ensemble_falls_back_with_MD0043()
    {
        GeneratorResult result = GeneratorHarness.Run(Usings + "[Model(4)] [Dense(3, Init = Xavier), SiLU, Dense(2)] [Ensemble(2, Vectorized = true)] public partial class Net { }");
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "MD0012");
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal("MD0043", warning.Id);
        Assert.Contains("[SiLU] cannot be vectorized", warning.GetMessage());
        Assert.Empty(result.CompilerDiagnostics);
        Assert.Contains(": global::ModelDsl.Ensemble<global::Net>", result.Files["Net+Ensemble.g.cs"]);
    }
}

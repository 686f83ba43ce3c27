using System.Linq;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Layers;

/// <summary>
/// [ReLU6], [Hardswish], [Hardsigmoid], [Mish] (MobileNetV2/V3, Mish): each TorchSharp's module, with the init gain its
/// shape implies (He √2 before the rectifiers; He before the bounded Hardsigmoid is MD0011, as before Sigmoid).
/// </summary>
public class MobileActivationRuleTests
{
    private const string Usings = "using ModelDsl;\nusing static ModelDsl.Init;\n";

    [Theory]
    [InlineData("ReLU6", "relu6", "min(max(0, x), 6)")]
    [InlineData("Hardswish", "hardswish", "x·min(max(x + 3, 0), 6)/6")]
    [InlineData("Mish", "mish", "x·tanh(softplus(x))")]
    public void Generates_the_module_and_He_uses_gain_sqrt_2(string name, string field, string formula)
    {
        string code = GeneratorHarness.Run(Usings + $"[Model(4)] [Dense(3, Init = He), {name}, Dense(2)] public partial class Net {{ }}").AssertClean().Single();
        Assert.Contains($"private readonly global::TorchSharp.Modules.{name} {field};", code);
        // After Dense, ReLU6 overwrites its output in place (InPlaceActivationRuleTests); the others write a new tensor.
        Assert.Contains($"{field} = global::TorchSharp.torch.nn.{name}({(name == "ReLU6" ? "inplace: true" : "")});", code);
        Assert.Contains($"// {field}: {name}: {formula}", code);
        Assert.Contains("HeNormal(dense1.weight, gain: 1.4142135623730951, global::ModelDsl.FanMode.FanIn, generator);", code);
    }

    [Fact]
    public void Hardsigmoid_is_bounded_and_He_before_it_is_MD0011()
    {
        GeneratorResult result = GeneratorHarness.Run(Usings + "[Model(4)] [Dense(3, Init = He), Hardsigmoid] public partial class Net { }");
        Assert.Contains(result.Diagnostics, d => d.Id == "MD0011");
        Assert.Contains("hardsigmoid = global::TorchSharp.torch.nn.Hardsigmoid();", result.Files.Values.Single());
    }
}

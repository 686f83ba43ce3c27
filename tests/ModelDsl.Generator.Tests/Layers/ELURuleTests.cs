using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Layers;

/// <summary>[ELU(alpha)]: nn.ELU(alpha: α); a rectifier for the init rules (He gain √2; Xavier before it is MD0012); α &gt; 0.</summary>
public class ELURuleTests
{
    private const string Usings = "using ModelDsl;\nusing static ModelDsl.Init;\n";

    [Fact]
    public void Generates_nn_ELU_with_alpha_and_He_uses_gain_sqrt_2()
    {
        string code = GeneratorHarness.Run(Usings + "[Model(8)] [Dense(4, Init = He), ELU(0.5), Dense(2), ELU] public partial class Net { }").AssertClean().Single();
        Assert.Contains("private readonly global::TorchSharp.Modules.ELU elu1;", code);
        Assert.Contains("elu1 = global::TorchSharp.torch.nn.ELU(alpha: 0.5);", code);
        Assert.Contains("elu2 = global::TorchSharp.torch.nn.ELU(alpha: 1.0);", code);
        Assert.Contains("// elu1: ELU(0.5): x if x > 0, else 0.5·(e^x − 1)", code);
        // √2/√8 = 0.5: He's ReLU gain (PyTorch's calculate_gain has no ELU entry; Clevert et al. 2016 use He init).
        Assert.Contains("HeNormal(dense1.weight, gain: 1.4142135623730951, global::ModelDsl.FanMode.FanIn, generator);", code);
        Assert.Contains("He normal, std √2/√8 = 0.5", code);
    }

    [Fact]
    public void Xavier_before_ELU_is_MD0012()
    {
        MarkedSource source = MarkedSource.Parse(Usings + "[Model(4)] [[|Dense(3, Init = Xavier)|], ELU] public partial class Net { }");
        Diagnostic warning = Assert.Single(GeneratorHarness.Run(source.Text).Diagnostics);
        Assert.Equal("MD0012", warning.Id);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal(source.Span, warning.Location.SourceSpan);
    }

    [Theory]
    [InlineData("ELU(0)")]
    [InlineData("ELU(-1)")]
    public void Non_positive_alpha_is_MD0003_at_the_attribute(string elu)
    {
        MarkedSource source = MarkedSource.Parse(Usings + $"[Model(4)] [Dense(3), [|{elu}|]] public partial class Net {{ }}");
        GeneratorResult result = GeneratorHarness.Run(source.Text);
        Diagnostic error = Assert.Single(result.Diagnostics);
        Assert.Equal("MD0003", error.Id);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal(source.Span, error.Location.SourceSpan);
        Assert.Contains("ELU alpha", error.GetMessage());
        result.AssertOnlySurface();
    }
}

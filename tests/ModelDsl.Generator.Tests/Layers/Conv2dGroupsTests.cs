using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Layers;

/// <summary>
/// [Conv2d(…, Groups = g)]: torch.nn.Conv2d's groups. The weight is [out, in/g, k, k], so the parameter count, the
/// planned state_dict and the init's fans (PyTorch's _calculate_fan_in_and_fan_out reads them from that shape) divide by
/// g; g must divide both channel counts (MD0110 on the argument).
/// </summary>
public class Conv2dGroupsTests
{
    private const string Usings = "using ModelDsl;\nusing static ModelDsl.Init;\n";

    [Fact]
    public void A_depthwise_convolution_passes_groups_and_its_fan_is_the_kernel_area()
    {
        string code = GeneratorHarness.Run(Usings + "[Model(8, 6, 6)] [Conv2d(8, 3, Padding = 1, Groups = 8, Bias = false, Init = He), ReLU] public partial class Net { }").AssertClean().Single();
        Assert.Contains("conv = global::TorchSharp.torch.nn.Conv2d(8, 8, 3, stride: 1, padding: 1, dilation: 1, groups: 8, bias: false, dtype: dtype);", code);
        Assert.Contains("8 → 8 channels, depthwise", code);
        Assert.Contains("He normal, std √2/√9", code);       // fan_in = (8/8)·3·3
        Assert.Contains("/// conv: Conv2d(8, 3, groups 8)", code);
        Assert.Contains("72 parameters", code);               // 8 · 1 · 3 · 3
    }

    [Fact]
    public void Two_groups_halve_the_weight_and_the_fans()
    {
        string code = GeneratorHarness.Run(Usings + "[Model(4, 6, 6)] [Conv2d(6, 3, Groups = 2, Init = He)] public partial class Net { }").AssertClean().Single();
        Assert.Contains("groups: 2", code);
        Assert.Contains("4 → 6 channels in 2 groups", code);
        Assert.Contains("He normal, std √2/√18", code);      // fan_in = (4/2)·3·3
        Assert.Contains("114 parameters", code);              // 6 · 2 · 3 · 3 + 6
    }

    [Theory]
    [InlineData("Groups = 3", "3")]
    [InlineData("Groups = 0", "0")]
    [InlineData("Groups = 8", "8")]
    public void Groups_that_do_not_divide_both_channel_counts_are_MD0110_at_the_argument(string option, string shown)
    {
        var source = MarkedSource.Parse(Usings + $"[Model(4, 6, 6)] [Conv2d(6, 3, [|{option}|])] public partial class Net {{ }}");
        Diagnostic error = Assert.Single(GeneratorHarness.Run(source.Text).Diagnostics, d => d.Id == "MD0110");
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal(source.Span, error.Location.SourceSpan);
        Assert.Contains($"Groups = {shown} must be", error.GetMessage());
        Assert.Contains("input channels (4) and the output channels (6)", error.GetMessage());
    }
}

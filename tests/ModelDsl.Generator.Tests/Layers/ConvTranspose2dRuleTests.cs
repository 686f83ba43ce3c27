using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Generator.Tests.Layers;

/// <summary>
/// [ConvTranspose2d]: torch.nn.ConvTranspose2d with its sizes by position, the weight [in, out/g, k, k] and fans read
/// from it as PyTorch's _calculate_fan_in_and_fan_out does, PyTorch's output size over a sweep of geometries (checked
/// against libtorch's own conv_transpose2d), and MD0112 / MD0110 for what PyTorch refuses.
/// </summary>
public class ConvTranspose2dRuleTests
{
    private const string Usings = "using ModelDsl;\nusing static ModelDsl.Init;\n";

    [Fact]
    public void Generates_nn_ConvTranspose2d_with_the_sizes_by_position_and_the_fans_of_its_weight()
    {
        string code = GeneratorHarness.Run(Usings + "[Model(4, 5, 4)] [ConvTranspose2d(6, 3, Stride = 2, Padding = 1, OutputPadding = 1, Groups = 2, Init = He), ReLU] public partial class Net { }").AssertClean().Single();
        Assert.Contains("convtranspose = global::TorchSharp.torch.nn.ConvTranspose2d(4, 6, 3, 2, 1, 1, 1, groups: 2, bias: true, dtype: dtype);", code);
        Assert.Contains("He normal, std √2/√27", code);          // fan_in = weight.size(1)·k·k = (6/2)·3·3
        Assert.Contains("[B, 6, 10, 8]", code);                   // (5 − 1)·2 − 2 + 2 + 1 + 1, (4 − 1)·2 − 2 + 2 + 1 + 1
        Assert.Contains("/// convtranspose: ConvTranspose2d(6, 3, groups 2)", code);
        Assert.Contains("114 parameters", code);                  // 4 · 3 · 3 · 3 + 6
    }

    public static IEnumerable<object[]> Geometries()
    {
        foreach (int kernel in new[] { 1, 2, 3, 4 })
        foreach (int stride in new[] { 1, 2, 3 })
        foreach (int padding in new[] { 0, 1 })
        foreach (int dilation in new[] { 1, 2 })
        {
            int outputPadding = System.Math.Max(stride, dilation) - 1; // the largest PyTorch accepts
            yield return new object[] { kernel, stride, padding, outputPadding, dilation };
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void The_planned_output_shape_is_libtorchs(int kernel, int stride, int padding, int outputPadding, int dilation)
    {
        using var scope = NewDisposeScope();
        // By position: TorchSharp's parameter names differ between versions (strides, output_padding / outputPadding).
        long[] actual = nn.functional.conv_transpose2d(zeros(1, 2, 5, 3), zeros(2, 3, kernel, kernel), null, new long[] { stride, stride },
            new long[] { padding, padding }, new long[] { outputPadding, outputPadding }, new long[] { dilation, dilation }).shape;
        string code = GeneratorHarness.Run(Usings + $"[Model(2, 5, 3)] [ConvTranspose2d(3, {kernel}, Stride = {stride}, Padding = {padding}, OutputPadding = {outputPadding}, Dilation = {dilation})] public partial class Net {{ }}").AssertClean().Single();
        Assert.Contains($"[B, 3, {actual[2]}, {actual[3]}]", code);
    }

    [Theory]
    [InlineData("Stride = 2, [|OutputPadding = 2|]", "OutputPadding = 2 must be a whole number ≥ 0 smaller than the stride (2) or the dilation (1)")]
    [InlineData("[|OutputPadding = -1|]", "OutputPadding = -1 must be")]
    [InlineData("[|Padding = Padding.Same|]", "Padding = Padding.Same has no transposed form")]
    public void What_pytorch_refuses_is_MD0112_at_the_argument(string options, string message)
        => SingleError.AssertAt(Usings + $"[Model(3, 4, 4)] [ConvTranspose2d(3, 3, {options})] public partial class Net {{ }}", "MD0112", message);

    [Theory]
    [InlineData("[|Groups = 3|]", "Groups = 3 must be")]
    [InlineData("[|Groups = 0|]", "Groups = 0 must be")]
    public void Groups_that_do_not_divide_both_channel_counts_are_MD0110_at_the_argument(string options, string message)
        => SingleError.AssertAt(Usings + $"[Model(4, 4, 4)] [ConvTranspose2d(6, 3, {options})] public partial class Net {{ }}", "MD0110", message);

    [Theory]
    [InlineData("[Model(3, 4, 4)] [[|ConvTranspose2d(0, 3)|]]", "MD0003", "ConvTranspose2d output channels")]
    [InlineData("[Model(3, 4, 4)] [[|ConvTranspose2d(3, 0)|]]", "MD0003", "ConvTranspose2d kernel")]
    [InlineData("[Model(3, 4, 4)] [[|ConvTranspose2d(3, 3, Stride = 0)|]]", "MD0003", "ConvTranspose2d Stride")]
    [InlineData("[Model(3, 4, 4)] [[|ConvTranspose2d(3, 3, Dilation = -1)|]]", "MD0003", "ConvTranspose2d Dilation")]
    [InlineData("[Model(12)] [[|ConvTranspose2d(3, 3)|]]", "MD0035", "[B, 12]")]
    [InlineData("[Model(3, 4, 4)] [[|ConvTranspose2d(3, 3, Padding = -1)|]]", "MD0037", "-1")]
    // (1 − 1)·1 − 2·2 + 1·(1 − 1) + 0 + 1 = −3: the transposed formula and its advice, not the window's.
    [InlineData("[Model(3, 1, 1)] [[|ConvTranspose2d(3, 1, Padding = 2)|]]", "MD0031", "turns the [B, 3, 1, 1] input into [B, 3, -3, -3]: the output size (H − 1)·stride − 2·padding + dilation·(kernel − 1) + OutputPadding + 1 must be at least 1; use less padding")]
    public void Misfits_are_errors_at_the_attribute(string declaration, string id, string message)
        => SingleError.AssertAt(Usings + declaration + " public partial class Net { }", id, message);
}

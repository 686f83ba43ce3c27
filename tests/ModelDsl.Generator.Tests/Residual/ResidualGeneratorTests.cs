using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Residual;

/// <summary>[Residual] blocks: the generated units, shortcuts, names, summary rows and branch init, and each diagnostic MD0070–MD0076.</summary>
public class ResidualGeneratorTests
{
    private const string Usings = "using ModelDsl;\nusing TorchSharp.Modules;\nusing static ModelDsl.Init;\n";

    internal const string Stage = Usings + """
        [Model(1, 8, 8)]
        [Conv2d(4, 3, Padding = 1, Bias = false), BatchNorm, ReLU]
        public partial class Net
        {
            [Residual(Repeat = 2, Activation = Activation.ReLU, BranchInit = ResidualInit.ZeroGamma)]
            [Conv2d(8, 3, Stride = 2, Padding = 1, Bias = false, Init = He), BatchNorm, ReLU, Conv2d(8, 3, Padding = 1, Bias = false, Init = He), BatchNorm]
            public partial Sequential Stage1 { get; }

            [GlobalAvgPool, Dense(3)]
            public partial Sequential Head { get; }
        }
        """;

    [Fact]
    public void A_stage_is_a_Sequential_of_units_with_a_projection_where_the_shape_changes()
    {
        string code = GeneratorHarness.Run(Stage).AssertClean().Single();
        // Unit 0 halves the map and doubles the channels: a 1×1 stride-2 convolution without bias, then a batch norm.
        Assert.Contains("global::TorchSharp.Modules.Conv2d stage1_0_shortcut_conv = global::TorchSharp.torch.nn.Conv2d(4, 8, 1, stride: 2, dilation: 1, bias: false, dtype: dtype);", code);
        Assert.Contains("shortcut: global::TorchSharp.torch.nn.Sequential((\"conv\", stage1_0_shortcut_conv), (\"batchnorm\", stage1_0_shortcut_batchnorm)),", code);
        // Unit 1 repeats the declaration without the stride, so its shape is kept and its shortcut is the identity.
        Assert.Contains("stage1_1_conv1 = global::TorchSharp.torch.nn.Conv2d(8, 8, 3, stride: 1, padding: 1", code);
        Assert.Contains("// stage1.1.shortcut: identity", code);
        Assert.Contains("_stage1 = global::TorchSharp.torch.nn.Sequential((\"0\", stage1_0), (\"1\", stage1_1));", code);
        // The branch's names are numbered with the activation after the sum: relu1 in the branch, relu2 after it.
        Assert.Contains("activation: (\"relu2\", stage1_1_relu2));", code);
        // Zero-γ on the branch's last batch norm only.
        Assert.Contains("global::ModelDsl.Initializers.Zeros(stage1_0_batchnorm2.Weight!);", code);
        Assert.DoesNotContain("Zeros(stage1_0_batchnorm1.Weight!)", code);
        Assert.DoesNotContain("Zeros(stage1_0_shortcut_batchnorm.Weight!)", code);
    }

    /// <summary>The generated file of a small ResNet (reviewed): post-activation image stages with zero-γ, a Fixup dense stage without norms, and a forbidden-projection pre-activation block.</summary>
    [Fact]
    public void Snapshot_of_a_small_resnet() => Check("""
        using ModelDsl;
        using TorchSharp.Modules;
        using static ModelDsl.Init;

        namespace Demo;

        [Model(1, 8, 8)]
        [Conv2d(4, 3, Padding = 1, Bias = false, Init = He), BatchNorm, ReLU]
        [WeightDecay("body", L2 = 1e-4)]
        public partial class SmallResNet
        {
            [Residual(Repeat = 2, Activation = Activation.ReLU, BranchInit = ResidualInit.ZeroGamma)]
            [Conv2d(8, 3, Stride = 2, Padding = 1, Bias = false, Init = He, Group = "body"), BatchNorm, ReLU, Conv2d(8, 3, Padding = 1, Bias = false, Init = He, Group = "body"), BatchNorm]
            public partial Sequential Stage1 { get; }

            [GlobalAvgPool]
            public partial Sequential Pool { get; }

            [Residual(Repeat = 2, BranchInit = ResidualInit.Fixup)]
            [Dense(8, Init = He), ReLU, Dense(8, Init = He)]
            public partial Sequential Dense { get; }

            [Residual(Shortcut = Shortcut.Identity)]
            [LayerNorm, ReLU, Dense(8)]
            private Sequential preActivation = null!;

            [Dense(3)]
            public partial Sequential Head { get; }
        }
        """);

    private static void Check(string source)
    {
        GeneratorResult result = GeneratorHarness.Run(source).AssertClean();
        foreach (var (hint, text) in result.Files) SnapshotAssert.Matches(text, "SmallResNet." + hint);
    }

    [Fact]
    public void The_summary_shows_each_unit_its_shortcut_and_the_branch_init()
    {
        string code = GeneratorHarness.Run(Stage).AssertClean().Single();
        Assert.Contains("/// stage1.0.batchnorm2: BatchNorm          [B, 8, 4, 4]      16  γ=0 (zero-γ), β=0", code);
        // The projection is its own rows with its parameters: 4·8 weights, then γ and β of 8 channels.
        Assert.Contains("/// stage1.0.shortcut.conv: Conv2d(8, 1)    [B, 8, 4, 4]      32", code);
        Assert.Contains("/// stage1.0.shortcut.batchnorm: BatchNorm  [B, 8, 4, 4]      16  γ=1, β=0", code);
        Assert.Contains("/// stage1.1.shortcut: identity             [B, 8, 4, 4]", code);
        Assert.Contains("/// stage1.1.relu2: ReLU after the sum      [B, 8, 4, 4]", code);
        // 36 + 8 (stem) + 288 + 16 + 576 + 16 + 32 + 16 (unit 0) + 576 + 16 + 576 + 16 (unit 1) + 27 (head) = 2,199.
        Assert.Contains("2,199 parameters", code);
    }

    [Fact]
    public void A_vectorized_ensemble_of_a_residual_model_falls_back_to_the_loop_form_with_MD0043()
    {
        MarkedSource source = MarkedSource.Parse(Usings + "[Model(4)] [[|Ensemble(2, Vectorized = true)|]] public partial class Net { [Residual, Dense(8), ReLU, Dense(4)] public partial Sequential Block { get; } }");
        GeneratorResult result = GeneratorHarness.Run(source.Text);
        Diagnostic warning = Assert.Single(result.Diagnostics, d => d.Id == "MD0043");
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal(source.Span, warning.Location.SourceSpan);
        Assert.Contains("the block 'Block' is residual", warning.GetMessage());
        // The model and its (loop-form) ensemble are generated and compile.
        Assert.Equal(2, result.Files.Count);
        Assert.Empty(result.CompilerDiagnostics);
    }

    [Theory]
    [InlineData("[Model(3, 8, 8)]", "Conv2d(6, 3, Padding = 1)", "Shortcut = Shortcut.Identity", "[B, 3, 8, 8]", "[B, 6, 8, 8]")]
    [InlineData("[Model(3, 9, 8)]", "Conv2d(6, 3, Stride = 2), Conv2d(6, 1)", "", "[B, 3, 9, 8]", "[B, 6, 4, 3]")]
    [InlineData("[Model(4, 6)]", "Dense(8)", "", "[B, 4, 6]", "[B, 8]")]
    public void MD0070_names_both_shapes(string model, string branch, string options, string input, string output)
    {
        string residual = options.Length == 0 ? "Residual" : $"Residual({options})";
        string text = Usings + $"{model} public partial class Net {{ [{residual}, {(model.Contains("4, 6") ? "Flatten, " : "")}{branch}] public partial Sequential Block {{ get; }} }}";
        Diagnostic error = Assert.Single(GeneratorHarness.Run(text).Diagnostics, d => d.Id == "MD0070");
        Assert.Contains(input, error.GetMessage());
        Assert.Contains(output, error.GetMessage());
    }

    [Fact]
    public void FirstDilation_gives_the_first_unit_that_dilation_with_the_padding_that_keeps_the_size()
    {
        // torchvision's replace_stride_with_dilation: layer4's first unit keeps dilation 2 (padding 2), the others use 4 (padding 4).
        string code = GeneratorHarness.Run(Usings + "[Model(4, 8, 8)] public partial class Net { [Residual(Repeat = 3, Activation = Activation.ReLU, FirstDilation = 2), Conv2d(4, 3, Padding = 4, Dilation = 4), BatchNorm] public partial Sequential Layer4 { get; } }").AssertClean().Single();
        Assert.Contains("layer4_0_conv = global::TorchSharp.torch.nn.Conv2d(4, 4, 3, stride: 1, padding: 2, dilation: 2", code);
        Assert.Contains("layer4_1_conv = global::TorchSharp.torch.nn.Conv2d(4, 4, 3, stride: 1, padding: 4, dilation: 4", code);
        Assert.Contains("layer4_2_conv = global::TorchSharp.torch.nn.Conv2d(4, 4, 3, stride: 1, padding: 4, dilation: 4", code);
    }

    [Theory]
    [InlineData("FirstDilation = -1")]
    [InlineData("FirstDilation = 1001")]
    public void FirstDilation_out_of_range_is_MD0076(string option)
    {
        Diagnostic error = Assert.Single(GeneratorHarness.Run(Usings + $"[Model(4, 8, 8)] public partial class Net {{ [Residual({option}), Conv2d(4, 3, Padding = 2, Dilation = 2)] public partial Sequential Block {{ get; }} }}").Diagnostics, d => d.Id == "MD0076");
        Assert.Contains("FirstDilation", error.GetMessage());
    }

    [Fact]
    public void Shortcut_Projection_projects_also_when_the_shape_is_kept()
    {
        string code = GeneratorHarness.Run(Usings + "[Model(5)] public partial class Net { [Residual(Shortcut = Shortcut.Projection), Dense(5), ReLU, Dense(5)] public partial Sequential Block { get; } }").AssertClean().Single();
        Assert.Contains("global::TorchSharp.Modules.Linear block_0_shortcut_dense = global::TorchSharp.torch.nn.Linear(5, 5, hasBias: false, dtype: dtype);", code);
        Assert.Contains("/// block.0.shortcut.dense: Dense(5)", code);
    }
}

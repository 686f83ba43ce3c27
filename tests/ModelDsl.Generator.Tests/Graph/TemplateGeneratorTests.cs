using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Graph;

/// <summary>[Block] templates: declared once, used with different sizes, planned per use; their parameter errors.</summary>
public class TemplateGeneratorTests
{
    internal const string Fire = GraphGeneratorTests.Usings + """
        namespace Demo;

        /// <summary>SqueezeNet's Fire module (Iandola et al. 2016): a 1×1 squeeze, then 1×1 and 3×3 expands concatenated.</summary>
        [Block]
        public partial class Fire
        {
            public const int Squeeze = 16, Expand = 64;

            [Conv2d(Squeeze, 1), ReLU] public partial Sequential SqueezeConv { get; }
            [Conv2d(Expand, 1), ReLU] public partial Sequential Expand1 { get; }
            [From(nameof(SqueezeConv)), Conv2d(Expand, 3, Padding = 1), ReLU] public partial Sequential Expand3 { get; }
            [Concatenate(nameof(Expand1), nameof(Expand3))] public partial Sequential Joined { get; }
        }

        [Model(3, 16, 16)]
        public partial class SqueezeNet
        {
            [Conv2d(8, 3, Padding = 1), ReLU] public partial Sequential Stem { get; }
            [With(nameof(Fire.Squeeze), 4, nameof(Fire.Expand), 8)] public partial Fire Fire2 { get; }
            [With(nameof(Fire.Squeeze), 6, nameof(Fire.Expand), 12)] public partial Fire Fire3 { get; }
            [GlobalAvgPool, Dense(10)] public partial Sequential Head { get; }
        }
        """;

    [Fact]
    public void Each_use_is_planned_with_its_own_sizes_and_input_shape()
    {
        GeneratorResult result = GeneratorHarness.Run(Fire).AssertClean();
        string model = result.Files.Single(f => f.Key.Contains("SqueezeNet")).Value;
        // fire2 reads 8 channels and gives 8 + 8; fire3 reads those 16 and gives 12 + 12.
        Assert.Contains("fire2.squeezeConv.conv: Conv2d(4, 1)", model);
        Assert.Contains("fire3.squeezeConv.conv: Conv2d(6, 1)", model);
        Assert.Contains("global::TorchSharp.torch.nn.Conv2d(16, 6, 1,", model);
        Assert.Contains("fire3.expand3.conv: Conv2d(12, 3)", model);
        Assert.Contains("_fire2 = new global::Demo.Fire(fire2_squeezeConv, fire2_expand1, fire2_expand3, fire2_joined);", model);
        Assert.Contains("head.dense: Dense(10)", model);
        // The summary shows what each part of a use reads and the joined shape.
        Assert.Contains("fire2.expand3 ← from squeezeConv", model);
        Assert.Matches(@"fire2\.joined ← concatenate\(expand1, expand3\) +\[B, 16, 16, 16\]", model);
        Assert.Contains("[B, 24, 1, 1]", model);

        string template = result.Files.Single(f => f.Key.Contains("Fire")).Value;
        Assert.Contains("public Fire(global::TorchSharp.Modules.Sequential squeezeConv, global::TorchSharp.Modules.Sequential expand1, global::TorchSharp.Modules.Sequential expand3, global::TorchSharp.Modules.Sequential joined)", template);
        Assert.Contains("global::TorchSharp.torch.Tensor joined = global::TorchSharp.torch.cat(new[] { expand1, expand3 }, global::ModelDsl.Merges.ConcatAxis(expand1));", template);
        Assert.Contains("global::TorchSharp.torch.Tensor expand3 = _expand3.forward(squeezeConv);", template);
    }

    /// <summary>The generated files of the Fire template and of a model that uses it twice (reviewed).</summary>
    [Fact]
    public void Snapshot_of_a_template_and_its_user()
    {
        GeneratorResult result = GeneratorHarness.Run(Fire).AssertClean();
        foreach (var (hint, text) in result.Files) SnapshotAssert.Matches(text, "Template." + hint);
    }

    [Theory]
    [InlineData("[With(nameof(Fire.Squeeze), 4)]", "the parameter 'Expand' is not given")]
    [InlineData("[With(nameof(Fire.Squeeze), 4, nameof(Fire.Expand), 8, \"Width\", 3)]", "'Width' is no parameter of Fire; its parameters are Squeeze, Expand")]
    [InlineData("[With(nameof(Fire.Squeeze), 4, nameof(Fire.Expand), 8.5)]", "'Expand' is an integer parameter, and 8.5 is not an integer")]
    [InlineData("[With(nameof(Fire.Squeeze), 4, nameof(Fire.Expand), \"eight\")]", "'Expand' needs a number after its name")]
    [InlineData("[With(nameof(Fire.Squeeze), 4, nameof(Fire.Squeeze), 5, nameof(Fire.Expand), 8)]", "'Squeeze' is given twice")]
    public void A_wrong_use_is_MD0098_naming_what_to_change(string with, string message)
    {
        var result = GeneratorHarness.Run(Fire.Replace("[With(nameof(Fire.Squeeze), 4, nameof(Fire.Expand), 8)]", with));
        Diagnostic diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "MD0098");
        Assert.Contains(message, diagnostic.GetMessage());
        Assert.Contains("'Fire2' uses the block template Fire", diagnostic.GetMessage());
        Assert.Empty(result.CompilerDiagnostics.Where(d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", System.StringComparison.Ordinal) == true));
    }

    [Fact]
    public void Expressions_of_parameters_are_evaluated_per_use_as_CSharp_would()
    {
        string source = Fire.Replace("[Conv2d(Expand, 1), ReLU] public partial Sequential Expand1", "[Conv2d(Expand * 2 - Squeeze / 3, 1), ReLU] public partial Sequential Expand1");
        string model = GeneratorHarness.Run(source.Replace("[Concatenate(nameof(Expand1), nameof(Expand3))]", "[Concatenate(nameof(Expand1), nameof(Expand3))]")).AssertClean().Files.Single(f => f.Key.Contains("SqueezeNet")).Value;
        // 8 * 2 - 4 / 3 = 16 - 1 (integer division) = 15; 12 * 2 - 6 / 3 = 22.
        Assert.Contains("fire2.expand1.conv: Conv2d(15, 1)", model);
        Assert.Contains("fire3.expand1.conv: Conv2d(22, 1)", model);
    }

    [Fact]
    public void A_shape_error_inside_a_use_is_reported_once_at_the_template()
    {
        string source = Fire.Replace("[From(nameof(SqueezeConv)), Conv2d(Expand, 3, Padding = 1), ReLU]", "[From(nameof(SqueezeConv)), Conv2d(Expand, 3), ReLU]");
        var result = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "MD0092");
        Assert.Contains("'Expand1' [B, 8, 16, 16] and 'Expand3' [B, 8, 14, 14]", diagnostic.GetMessage());
    }
}

/// <summary>A template in one file and its user in another: editing the template regenerates the model with the new sizes.</summary>
public class TemplateRegenerationTests
{
    private const string Template = GraphGeneratorTests.Usings + """
        namespace Demo;
        [Block]
        public partial class Pair
        {
            public const int Width = 4;
            [Dense(Width), ReLU] public partial Sequential Left { get; }
            [From("input"), Dense(Width)] public partial Sequential Right { get; }
            [Add(nameof(Left), nameof(Right))] public partial Sequential Sum { get; }
        }
        """;

    private const string User = GraphGeneratorTests.Usings + """
        namespace Demo;
        [Model(6)]
        public partial class Net
        {
            [With(nameof(Pair.Width), 5)] public partial Pair First { get; }
            [Dense(2)] public partial Sequential Head { get; }
        }
        """;

    [Fact]
    public void Editing_a_template_in_another_file_regenerates_its_users()
    {
        Microsoft.CodeAnalysis.CSharp.CSharpCompilation compilation = GeneratorHarness.Compilation(Template, User);
        GeneratorDriver driver = GeneratorHarness.Driver().RunGenerators(compilation);
        string before = driver.GetRunResult().GeneratedTrees.Single(t => t.FilePath.EndsWith("Demo.Net.g.cs", System.StringComparison.Ordinal)).ToString();
        Assert.Contains("first.left.dense: Dense(5)", before);

        SyntaxTree templateTree = compilation.SyntaxTrees.First();
        var edited = compilation.ReplaceSyntaxTree(templateTree, Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(
            Template.Replace("[Dense(Width), ReLU]", "[Dense(Width * 2), ReLU]").Replace("[From(\"input\"), Dense(Width)]", "[From(\"input\"), Dense(Width * 2)]"),
            GeneratorHarness.ParseOptions, templateTree.FilePath));
        string after = driver.RunGenerators(edited).GetRunResult().GeneratedTrees.Single(t => t.FilePath.EndsWith("Demo.Net.g.cs", System.StringComparison.Ordinal)).ToString();
        Assert.Contains("first.left.dense: Dense(10)", after);
    }
}

/// <summary>Layer names given in the declaration (Name = "conv1") become the state_dict keys, unnumbered.</summary>
public class LayerNameTests
{
    [Fact]
    public void Named_layers_keep_their_names_and_the_others_are_numbered_among_themselves()
    {
        string code = GeneratorHarness.Run(GraphGeneratorTests.Usings + """
            [Model(1, 8, 8)]
            public partial class Net
            {
                [Conv2d(4, 3, Padding = 1, Name = "conv1"), BatchNorm(Name = "bn1"), ReLU, Conv2d(4, 3, Padding = 1), Conv2d(4, 3, Padding = 1)]
                public partial Sequential Features { get; }

                [GlobalAvgPool, Dense(2, Name = "fc")]
                public partial Sequential Classifier { get; }
            }
            """).AssertClean().Single();
        Assert.Contains("(\"conv1\", featuresConv1),", code);
        Assert.Contains("(\"bn1\", featuresBn1),", code);
        // The two unnamed convolutions are numbered around the given name: conv2 and conv3.
        Assert.Contains("(\"conv2\", featuresConv2),", code);
        Assert.Contains("(\"conv3\", featuresConv3));", code);
        Assert.Contains("classifier.fc: Dense(2)", code);
    }
}

/// <summary>Pooling with padding and ceil mode: PyTorch's output sizes and the constructor arguments.</summary>
public class PoolPaddingTests
{
    [Theory]
    // (size, kernel, stride, padding, ceil) → PyTorch's output size (torch.nn.MaxPool2d's shape formula):
    [InlineData(112, 3, 2, 1, false, 56)]   // ResNet's stem pool
    [InlineData(112, 3, 2, 0, true, 56)]    // GoogLeNet's stem pool: ⌈(112 − 3)/2⌉ + 1 = 56
    [InlineData(55, 3, 2, 0, true, 27)]     // SqueezeNet 1.1: ⌈52/2⌉ + 1 = 27
    [InlineData(6, 3, 2, 1, true, 4)]       // ⌈(6 + 2 − 3)/2⌉ + 1 = 4, and the last window starts at 6 = n + p − 1 < n + p: kept
    [InlineData(5, 2, 2, 0, true, 3)]       // ⌈3/2⌉ + 1 = 3: the last window starts at 4, inside the input
    [InlineData(4, 2, 2, 1, true, 3)]       // ⌈4/2⌉ + 1 = 3, last start 4 ≥ n + p = 5? no: kept
    [InlineData(7, 2, 3, 1, true, 3)]       // ⌈7/3⌉ + 1 = 4, last start 9 ≥ n + p = 8: dropped
    [InlineData(7, 3, 2, 1, false, 4)]
    public void Output_sizes_follow_pytorch(long size, long kernel, long stride, long padding, bool ceil, long expected)
        => Assert.Equal(expected, ModelDsl.Generator.Planning.Layers.Pool2dRule.Output(size, kernel, stride, padding, ceil));

    [Fact]
    public void Padding_and_ceil_mode_reach_the_constructor_and_the_summary()
    {
        string code = GeneratorHarness.Run(GraphGeneratorTests.Usings + """
            [Model(3, 16, 16)]
            [Conv2d(4, 3, Padding = 1), ReLU, MaxPool2d(3, Stride = 2, Padding = 1), AvgPool2d(3, Stride = 2, CeilMode = true, CountIncludePad = false)]
            [Flatten, Dense(2)]
            public partial class Net { }
            """).AssertClean().Single();
        Assert.Contains("new global::ModelDsl.MaxPooling2D(3, stride: 2, padding: 1)", code);
        Assert.Contains("global::TorchSharp.torch.nn.AvgPool2d(3, stride: 2, ceil_mode: true, count_include_pad: false)", code);
        Assert.Contains("maxpool: MaxPool2d(3, stride 2, padding 1)", code);
        Assert.Contains("[B, 4, 8, 8]", code);
        Assert.Contains("[B, 4, 4, 4]", code); // ⌈(8 − 3)/2⌉ + 1 = 4
    }

    [Fact]
    public void Padding_beyond_half_the_kernel_is_MD0037()
    {
        var result = GeneratorHarness.Run(GraphGeneratorTests.Usings + "[Model(1, 8, 8)] [MaxPool2d(2, Padding = 2), Flatten, Dense(2)] public partial class Net { }");
        Assert.Contains(result.Diagnostics, d => d.Id == "MD0037" && d.GetMessage().Contains("pads at most half its kernel"));
    }
}

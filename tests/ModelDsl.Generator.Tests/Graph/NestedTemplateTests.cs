using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Graph;

/// <summary>
/// [Block] templates whose blocks are uses of other templates: an EfficientNet-style stage of MBConv blocks, each use
/// planned on its own input with values computed from the stage's parameters; names nest as torchvision's do.
/// </summary>
public class NestedTemplateTests
{
    internal const string Stages = GraphGeneratorTests.Usings + """
        namespace Demo;

        /// <summary>MobileNetV2's inverted residual with EfficientNet's SiLU: expand, depthwise, project, add the input.</summary>
        [Block]
        public partial class MBConv
        {
            public const int Hidden = 32, Out = 8;

            [Conv2d(Hidden, 1, Bias = false), BatchNorm, SiLU] public partial Sequential Expand { get; }
            [Conv2d(Hidden, 3, Padding = 1, Groups = Hidden, Bias = false), BatchNorm, SiLU] public partial Sequential Depthwise { get; }
            [Conv2d(Out, 1, Bias = false), BatchNorm] public partial Sequential Project { get; }
            [Add("input", nameof(Project))] public partial Sequential Sum { get; }
        }

        /// <summary>A stage: a strided convolution to the stage's width, then two MBConv blocks at that width.</summary>
        [Block]
        public partial class Stage
        {
            public const int Width = 8, Expansion = 4;

            [Conv2d(Width, 3, Stride = 2, Padding = 1, Bias = false), BatchNorm, SiLU] public partial Sequential Down { get; }
            [With(nameof(MBConv.Hidden), Width * Expansion, nameof(MBConv.Out), Width)] public partial MBConv Block0 { get; }
            [With(nameof(MBConv.Hidden), Width * Expansion, nameof(MBConv.Out), Width)] public partial MBConv Block1 { get; }
        }

        [Model(3, 16, 16)]
        public partial class Net
        {
            [Conv2d(8, 3, Padding = 1), ReLU] public partial Sequential Stem { get; }
            [With(nameof(Stage.Width), 8, nameof(Stage.Expansion), 2)] public partial Stage Stage1 { get; }
            [With(nameof(Stage.Width), 12, nameof(Stage.Expansion), 3)] public partial Stage Stage2 { get; }
            [GlobalAvgPool, Dense(10)] public partial Sequential Head { get; }
        }
        """;

    private static string Model(GeneratorResult result) => result.Files.Single(f => f.Key == "Demo.Net.g.cs").Value;

    [Fact]
    public void Each_nested_use_is_planned_with_values_from_its_enclosing_use()
    {
        GeneratorResult result = GeneratorHarness.Run(Stages).AssertClean();
        string model = Model(result);
        // stage1: width 8, hidden 8 · 2 = 16 on [8, 8, 8]; stage2: width 12, hidden 12 · 3 = 36 on [12, 4, 4].
        Assert.Contains("stage1.block0.expand.conv: Conv2d(16, 1)", model);
        Assert.Contains("stage1.block1.project.conv: Conv2d(8, 1)", model);
        Assert.Contains("stage2.block0.depthwise.conv: Conv2d(36, 3, groups 36)", model);
        Assert.Matches(@"stage2\.block1\.sum ← add\(input, project\) +\[B, 12, 4, 4\]", model);
        // The inner uses are built first, as locals of their template's type, then passed to the stage.
        Assert.Contains("global::Demo.MBConv stage1_block0 = new global::Demo.MBConv(stage1_block0_expand, stage1_block0_depthwise, stage1_block0_project, stage1_block0_sum);", model);
        Assert.Contains("_stage2 = new global::Demo.Stage(stage2_down, stage2_block0, stage2_block1);", model);

        string stage = result.Files.Single(f => f.Key == "Demo.Stage.g.cs").Value;
        Assert.Contains("public Stage(global::TorchSharp.Modules.Sequential down, global::Demo.MBConv block0, global::Demo.MBConv block1)", stage);
        Assert.Contains("global::TorchSharp.torch.Tensor block1 = _block1.forward(block0);", stage);
        Assert.Contains("public partial global::Demo.MBConv Block0 { get => _block0; }", stage);
    }

    [Fact]
    public void Summary_depths_fold_nested_uses_into_their_template()
    {
        string model = Model(GeneratorHarness.Run(Stages).AssertClean());
        // Depth 1: the stage; depth 2: its blocks, each MBConv named with its layer count; depth 3: the MBConv's blocks.
        Assert.Matches(@"stage1: Stage \(19 layers\) +\[B, 8, 8, 8\]", model);
        Assert.Matches(@"stage1\.block0: MBConv \(8 layers\) +\[B, 8, 8, 8\]", model);
        Assert.Matches(@"stage2\.block1\.depthwise: 3 layers +\[B, 36, 4, 4\]", model);
    }

    [Fact]
    public void Residual_blocks_init_and_decay_groups_inside_a_nested_use_are_per_use()
    {
        string model = Model(GeneratorHarness.Run(GraphGeneratorTests.Usings + """
            namespace Demo;

            [Block]
            public partial class Unit
            {
                public const int Width = 4;
                [Residual(Repeat = 2), Dense(Width, Init = He, Group = "body"), ReLU, Dense(Width, Group = "body")] public partial Sequential Body { get; }
                [Dense(Width, Init = Xavier)] public partial Sequential Out { get; }
            }

            [Block]
            public partial class Pair
            {
                public const int Width = 4;
                [With(nameof(Unit.Width), Width)] public partial Unit First { get; }
                [With(nameof(Unit.Width), Width + 2)] public partial Unit Second { get; }
            }

            [Model(6), WeightDecay("body", L2 = 1e-4)]
            public partial class Net
            {
                [With(nameof(Pair.Width), 6)] public partial Pair Trunk { get; }
                [Dense(3)] public partial Sequential Head { get; }
            }
            """).AssertClean());
        // Residual units keep torchvision's names under the nested use; the second Unit is 6 + 2 = 8 wide and projects.
        Assert.Matches(@"trunk\.first\.body\.1\.dense2: Dense\(6\) +\[B, 6\] +42 +default U\(±1/√6\) +body \(L2 0\.0001\)", model);
        Assert.Contains("trunk.second.body.0.shortcut.dense: Dense(8)", model);
        Assert.Matches(@"trunk\.second\.out\.dense: Dense\(8\) +\[B, 8\] +72 +Xavier", model);
        Assert.Contains("global::ModelDsl.ResidualBlock trunk_second_body_0 = new global::ModelDsl.ResidualBlock(", model);
        Assert.Contains("\"trunk.first.body.0.dense1.weight\"", model); // the decay group lists the parameter by its state_dict name
        // Identity shortcuts are rows of their own inside a use, as in a residual block of the model itself: right after
        // the unit's branch, and only for units that do not project.
        Assert.Matches(@"/// trunk\.first\.body\.0\.dense2: Dense\(6\) .*\n/// trunk\.first\.body\.0\.shortcut: identity +\[B, 6\]\n/// trunk\.first\.body\.1\.dense1", model);
        Assert.Contains("/// trunk.first.body.1.shortcut: identity", model);
        Assert.Contains("/// trunk.second.body.1.shortcut: identity", model);
        Assert.DoesNotContain("trunk.second.body.0.shortcut: identity", model);
    }

    /// <summary>The generated files of two nested templates and a model that uses the outer one twice (reviewed).</summary>
    [Fact]
    public void Snapshot_of_nested_templates_and_their_user()
    {
        GeneratorResult result = GeneratorHarness.Run(Stages).AssertClean();
        foreach (var (hint, text) in result.Files) SnapshotAssert.Matches(text, "NestedTemplate." + hint);
    }

    [Theory]
    [InlineData("[With(nameof(MBConv.Hidden), Width * Expansion)]", "'Block1' uses the block template MBConv: the parameter 'Out' is not given")]
    [InlineData("[With(nameof(MBConv.Hidden), Width * Expansion, nameof(MBConv.Out), Width, \"Depth\", 2)]", "'Block1' uses the block template MBConv: 'Depth' is no parameter of MBConv; its parameters are Hidden, Out")]
    [InlineData("[With(nameof(MBConv.Hidden), Width * Expansion, nameof(MBConv.Out), Width / 2.0)]", "'Block1' uses the block template MBConv: 'Out' is an integer parameter, and 4.5 is not an integer")]
    [InlineData("[With(nameof(MBConv.Hidden), Width * Expansion, nameof(MBConv.Out), Width, nameof(MBConv.Out), Width)]", "'Block1' uses the block template MBConv: 'Out' is given twice")]
    // An expression the enclosing use cannot evaluate is that use's problem, as a layer argument's is.
    [InlineData("[With(nameof(MBConv.Hidden), Width * Expansion, nameof(MBConv.Out), Width / (Expansion - 2))]", "'Stage1' uses the block template Stage: the value 'Width / (Expansion - 2)' of 'Out' in the [With] of Stage.Block1: it divides by zero")]
    public void A_wrong_nested_use_is_MD0098_naming_what_to_change(string with, string message)
    {
        // Only Block1 changes; stage1 (width 9, expansion 2) is the use that finds the problem.
        string source = Stages.Replace("[With(nameof(MBConv.Hidden), Width * Expansion, nameof(MBConv.Out), Width)] public partial MBConv Block1", with + " public partial MBConv Block1")
            .Replace("[With(nameof(Stage.Width), 8, nameof(Stage.Expansion), 2)]", "[With(nameof(Stage.Width), 9, nameof(Stage.Expansion), 2)]");
        GeneratorResult result = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "MD0098");
        Assert.StartsWith(message, diagnostic.GetMessage());
        Assert.Empty(result.CompilerDiagnostics.Where(d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", System.StringComparison.Ordinal) == true));
    }

    [Fact]
    public void A_template_that_uses_itself_through_another_is_MD0098_naming_the_cycle()
    {
        var result = GeneratorHarness.Run(GraphGeneratorTests.Usings + """
            [Block]
            public partial class Outer
            {
                public const int Width = 4;
                [Dense(Width)] public partial Sequential A { get; }
                [With(nameof(Middle.Width), Width)] public partial Middle Inner { get; }
            }

            [Block]
            public partial class Middle
            {
                public const int Width = 4;
                [With(nameof(Outer.Width), Width)] public partial Outer Back { get; }
            }

            [Model(4)]
            public partial class Net
            {
                [With(nameof(Outer.Width), 3)] public partial Outer First { get; }
            }
            """);
        Diagnostic diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "MD0098");
        Assert.Equal("'Back' uses the block template Outer: Outer would contain itself (Outer.Inner → Middle.Back → Outer); a template cannot use itself, directly or through other templates", diagnostic.GetMessage());
        // The templates still compile (each holds the other), so the MD error is the build's only one.
        Assert.Empty(result.CompilerDiagnostics.Where(d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", System.StringComparison.Ordinal) == true));
    }

    [Fact]
    public void A_shape_error_inside_a_nested_use_is_reported_at_the_inner_template()
    {
        // With Expansion 1 and an MBConv whose projection widens, the add no longer fits: MD0092 at MBConv's [Add].
        string source = Stages.Replace("[Conv2d(Out, 1, Bias = false), BatchNorm]", "[Conv2d(Out + 1, 1, Bias = false), BatchNorm]");
        GeneratorResult result = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "MD0092");
        Assert.Contains("'input' [B, 8, 8, 8] and 'Project' [B, 9, 8, 8]", diagnostic.GetMessage());
    }
}

using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ModelDsl.CodeFixes;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Tests.CodeFixes;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// MD0018 (info): two weight layers with only affine layers between them. Every layer kind is classified (affine ones
/// report, nonlinear ones do not), along the class stack and across named blocks, and the fix inserts ReLU.
/// </summary>
public class MissingNonlinearityTests
{
    private const string Usings = "using ModelDsl;\nusing static ModelDsl.Init;\n";

    private static ImmutableArray<Diagnostic> Analyze(string source)
        => GeneratorHarness.Compilation(source)
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new MissingNonlinearityAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();

    [Fact]
    public void The_design_card_is_reported_on_its_first_Dense_as_info()
    {
        MarkedSource source = MarkedSource.Parse(Usings + "[Model(784)]\n[[|Dense(256, Init = He)|], BatchNorm, Dropout(0.5)]\n[Dense(10)]\npublic partial class Mlp { }");

        Diagnostic diagnostic = Assert.Single(Analyze(source.Text));
        Assert.Equal("MD0018", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Info, diagnostic.Severity);
        Assert.Equal(source.Span, diagnostic.Location.SourceSpan);
        Assert.Equal(
            "Dense(256) reaches Dense(10) through BatchNorm, Dropout only: together they compute one affine map, and He initialization assumes a ReLU follows; add an activation such as ReLU after Dense(256) unless a linear model is intended",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>In a graph the advice follows the connections: parallel branches are no stack, a chained block is.</summary>
    [Fact]
    public void In_a_graph_only_blocks_that_read_each_other_are_a_stack()
    {
        const string Blocks = "using TorchSharp.Modules;\n";
        var branches = Analyze(Usings + Blocks + "[Model(8)] public partial class Net { [Dense(4)] public partial Sequential A { get; } [From(\"input\"), Dense(4)] public partial Sequential B { get; } [Add(nameof(A), nameof(B)), ReLU, Dense(2)] public partial Sequential C { get; } }");
        Assert.DoesNotContain(branches, d => d.Id == "MD0018");

        MarkedSource chained = MarkedSource.Parse(Usings + Blocks + "[Model(8)] public partial class Net { [[|Dense(4)|]] public partial Sequential A { get; } [Dense(3)] public partial Sequential B { get; } [From(nameof(A)), ReLU, Dense(2), Output] public partial Sequential C { get; } }");
        Diagnostic diagnostic = Assert.Single(Analyze(chained.Text), d => d.Id == "MD0018");
        Assert.Equal(chained.Span, diagnostic.Location.SourceSpan);
    }

    /// <summary>Layers that are affine at inference, between two weight layers of a shape they accept.</summary>
    [Theory]
    [InlineData("[Model(8)] [Dense(4), Dense(2)]")]
    [InlineData("[Model(8)] [Dense(4), BatchNorm, Dense(2)]")]
    [InlineData("[Model(8)] [Dense(4), Dropout(0.5), Dense(2)]")]
    [InlineData("[Model(8)] [Dense(4), GaussianNoise(0.1), Dense(2)]")]
    [InlineData("[Model(8)] [Dense(4), Flatten, Dense(2)]")]
    [InlineData("[Model(1, 8, 8)] [Conv2d(4, 3), Dropout2d(0.1), Conv2d(4, 3)]")]
    [InlineData("[Model(1, 8, 8)] [Conv2d(4, 3), AvgPool2d(2), Flatten, Dense(2)]")]
    [InlineData("[Model(1, 8, 8)] [Conv2d(4, 3), GlobalAvgPool, Dense(2)]")]
    [InlineData("[Model(1, 8, 8)] [Conv2d(4, 3), BatchNorm, Flatten, Dense(2)]")]
    public void Affine_layers_between_weight_layers_are_reported(string layers)
        => Assert.Equal("MD0018", Assert.Single(Analyze(Usings + layers + " public partial class Net { }")).Id);

    /// <summary>Nonlinear layers between two weight layers, and inline activations.</summary>
    [Theory]
    [InlineData("[Model(8)] [Dense(4), ReLU, Dense(2)]")]
    [InlineData("[Model(8)] [Dense(4), LeakyReLU(0.1), Dense(2)]")]
    [InlineData("[Model(8)] [Dense(4), Tanh, Dense(2)]")]
    [InlineData("[Model(8)] [Dense(4), Sigmoid, Dense(2)]")]
    [InlineData("[Model(8)] [Dense(4), GELU, Dense(2)]")]
    [InlineData("[Model(8)] [Dense(4), BatchNorm, ReLU, Dropout(0.5), Dense(2)]")]
    [InlineData("[Model(8)] [Dense(4), LayerNorm, Dense(2)]")]
    [InlineData("[Model(8)] [Dense(4, Activation = Activation.ReLU), BatchNorm, Dense(2)]")]
    [InlineData("[Model(1, 8, 8)] [Conv2d(4, 3), MaxPool2d(2), Flatten, Dense(2)]")]
    [InlineData("[Model(1, 8, 8)] [Conv2d(4, 3), InstanceNorm, Flatten, Dense(2)]")]
    [InlineData("[Model(1, 8, 8)] [Conv2d(4, 3), GroupNorm(2), Flatten, Dense(2)]")]
    [InlineData("[Model(8)] [Dense(2)]")]
    [InlineData("[Model(8)] [Dense(4), ReLU, Dense(2), Softmax]")]
    public void Nonlinear_layers_and_single_weight_layers_are_not_reported(string layers)
        => Assert.Empty(Analyze(Usings + layers + " public partial class Net { }"));

    [Fact]
    public void Named_blocks_run_in_order_so_the_path_continues_across_them()
    {
        MarkedSource source = MarkedSource.Parse(Usings + """
            using TorchSharp.Modules;
            [Model(8)]
            public partial class Blocks
            {
                [[|Dense(4)|], BatchNorm] public partial Sequential Body { get; }
                [Dense(2)] public partial Sequential Head { get; }
            }
            """);
        Diagnostic diagnostic = Assert.Single(Analyze(source.Text));
        Assert.Equal(source.Span, diagnostic.Location.SourceSpan);
    }

    [Fact]
    public void With_a_user_forward_each_block_is_its_own_path()
    {
        Assert.Empty(Analyze(Usings + """
            using TorchSharp.Modules;
            using static TorchSharp.torch;
            [Model(8)]
            public partial class Custom
            {
                [Dense(4)] public partial Sequential Body { get; }
                [Dense(2)] public partial Sequential Head { get; }
                public override Tensor forward(Tensor input) => Head.forward(Body.forward(input).relu());
            }
            """));
    }

    [Fact]
    public void Code_fix_inserts_ReLU_after_the_reported_layer_and_the_model_then_has_none()
    {
        const string source = """
            using ModelDsl;
            using static ModelDsl.Init;

            namespace Demo;

            [Model(784)]
            [Dense(256, Init = He), BatchNorm, Dropout(0.5)]
            [Dense(10)]
            public partial class Mlp { }
            """;
        string fixedText = CodeFixHarness.Apply(new InsertReLUCodeFix(), source, "MD0018");

        Assert.Equal(source.Replace("[Dense(256, Init = He), BatchNorm, Dropout(0.5)]", "[Dense(256, Init = He), ReLU, BatchNorm, Dropout(0.5)]"), fixedText);
        Assert.Empty(Analyze(fixedText));
        GeneratorHarness.Run(fixedText).AssertClean();
        Assert.Equal(Descriptors.NoNonlinearity.Id, new InsertReLUCodeFix().FixableDiagnosticIds.Single());
    }

    /// <summary>A [Residual] block's activation after the sum is a nonlinearity between its branch and the next block; without one, the path is affine.</summary>
    [Fact]
    public void The_activation_after_a_residual_sum_counts_and_its_absence_is_reported()
    {
        const string Net = "using TorchSharp.Modules;\n[Model(1, 8, 8)] public partial class Net {{ [Residual({0}), Conv2d(1, 3, Padding = 1), ReLU, [|Conv2d(1, 3, Padding = 1)|], BatchNorm] public partial Sequential Stage {{ get; }} [Conv2d(4, 3), ReLU, Flatten, Dense(2)] public partial Sequential Head {{ get; }} }}";
        Assert.Empty(Analyze(Usings + MarkedSource.Parse(string.Format(System.Globalization.CultureInfo.InvariantCulture, Net, "Activation = Activation.ReLU")).Text));
        MarkedSource source = MarkedSource.Parse(Usings + string.Format(System.Globalization.CultureInfo.InvariantCulture, Net, ""));
        Diagnostic diagnostic = Assert.Single(Analyze(source.Text));
        Assert.Equal("MD0018", diagnostic.Id);
        Assert.Equal(source.Span, diagnostic.Location.SourceSpan);
    }
}

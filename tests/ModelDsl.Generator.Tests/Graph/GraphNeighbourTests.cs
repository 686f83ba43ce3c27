using System.Linq;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Graph;

/// <summary>Neighbours of the declarations the graph tests name: a residual block after a merge, a branch beside a template use, a tap on a use.</summary>
public class GraphNeighbourTests
{
    private const string Head = "[GlobalAvgPool, Dense(10)] public partial Sequential Head { get; }";

    private const string Graph = """
        [From(nameof(Stem)), Conv2d(24, 1)] public partial Sequential Side { get; }
            [Add(nameof(Fire3), nameof(Side))] public partial Sequential Sum { get; }
            [Residual(Activation = Activation.ReLU), Conv2d(24, 3, Padding = 1), BatchNorm] public partial Sequential Refine { get; }
            [From(nameof(Fire2)), Output] public partial Sequential Tap { get; }
            [From(nameof(Refine)), GlobalAvgPool, Dense(10), Output] public partial Sequential Head { get; }
        """;

    [Fact]
    public void A_residual_block_reads_a_merge_of_a_template_use_and_a_branch()
    {
        Assert.Contains(Head, TemplateGeneratorTests.Fire);
        string model = GeneratorHarness.Run(TemplateGeneratorTests.Fire.Replace(Head, Graph)).AssertClean().Files.Single(f => f.Key.Contains("SqueezeNet")).Value;
        Assert.Contains("sum ← add(fire3, side)", model);
        Assert.Contains("public override SqueezeNet.Outputs forward(", model);
    }
}

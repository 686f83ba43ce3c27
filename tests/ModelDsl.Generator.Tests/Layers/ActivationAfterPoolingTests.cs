using System.Linq;
using System.Text.RegularExpressions;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Layers;

/// <summary>
/// A ReLU or ReLU6 right before a max pool in a class-level chain runs after the pool in the generated forward (the two
/// commute, gradients included, and the activation then reads the pooled image); every other activation, pool kind and
/// place keeps the declared order, and the modules are registered as declared whatever the forward runs first.
/// </summary>
public class ActivationAfterPoolingTests
{
    private const string Usings = "using ModelDsl;\nusing TorchSharp.Modules;\n";

    // The forward's module calls, in the order it makes them (x = relu1.forward(x) → relu1; the layout switch From(x, this) is none).
    private static string[] ForwardCalls(string declaration)
    {
        string code = GeneratorHarness.Run(Usings + declaration).AssertClean().Single();
        string forward = code.Substring(code.IndexOf("public override global::TorchSharp.torch.Tensor forward(", System.StringComparison.Ordinal));
        return Regex.Matches(forward, @"x = (?:global::ModelDsl\.ChannelsLast\.\w+\()?(\w+)[.,]").Select(m => m.Groups[1].Value).Where(n => n != "x").ToArray();
    }

    [Theory]
    [InlineData("ReLU", true)]
    [InlineData("ReLU6", true)]
    [InlineData("Tanh", false)]      // rises everywhere, but rounding makes distinct inputs equal where it saturates: another tie, another gradient
    [InlineData("Sigmoid", false)]
    [InlineData("GELU", false)]      // not monotone
    [InlineData("SiLU", false)]
    [InlineData("Hardswish", false)]
    [InlineData("Hardsigmoid", false)]
    [InlineData("Mish", false)]
    [InlineData("LeakyReLU(0.1)", false)]
    [InlineData("ELU", false)]
    public void Only_an_exact_rectifier_runs_after_the_max_pool_that_follows_it(string activation, bool moves)
    {
        string[] calls = ForwardCalls($"[Model(2, 8, 8)] [Conv2d(4, 3, Padding = 1), {activation}, MaxPool2d(2), Flatten, Dense(3)] public partial class Net {{ }}");
        string name = Regex.Match(activation, @"^\w+").Value.ToLowerInvariant();
        string[] expected = moves ? new[] { "conv", "maxpool", name, "flatten", "dense" } : new[] { "conv", name, "maxpool", "flatten", "dense" };
        Assert.Equal(expected, calls);
    }

    [Fact]
    public void A_convolutions_inline_rectifier_runs_after_the_max_pool_too()
        => Assert.Equal(new[] { "conv", "maxpool", "relu", "flatten", "dense" },
            ForwardCalls("[Model(2, 8, 8)] [Conv2d(4, 3, Padding = 1, Activation = Activation.ReLU), MaxPool2d(2), Flatten, Dense(3)] public partial class Net { }"));

    [Theory]
    [InlineData("MaxPool2d(3, Stride = 2, Padding = 1, CeilMode = true)", true)]   // any window: max commutes with a rising map
    [InlineData("AvgPool2d(2)", false)]                                               // a mean does not
    [InlineData("Dropout2d(0.1), MaxPool2d(2)", false)]                              // only the layer right after
    public void The_pool_must_be_a_max_pool_right_after_the_activation(string after, bool moves)
    {
        string[] calls = ForwardCalls($"[Model(2, 8, 8)] [Conv2d(4, 3, Padding = 1), BatchNorm, ReLU, {after}, Flatten, Dense(3)] public partial class Net {{ }}");
        int relu = System.Array.IndexOf(calls, "relu"), pool = System.Array.FindIndex(calls, c => c.EndsWith("pool", System.StringComparison.Ordinal));
        Assert.Equal(moves, pool < relu);
    }

    [Fact]
    public void The_forward_says_why_and_the_modules_and_summary_keep_the_declared_order()
    {
        // ReLU6, which the pool's batch norm kernel does not apply (a ReLU there runs inside the pool: BatchNormInsidePoolingTests).
        string code = GeneratorHarness.Run(Usings + "[Model(1, 8, 8)] [Conv2d(4, 3, Padding = 1), BatchNorm, ReLU6, MaxPool2d(2), Flatten, Dense(3)] public partial class Net { }").AssertClean().Single();
        Assert.Contains("// ReLU6 after the max pool: they commute (values and gradients), and it then reads the smaller pooled image.", code);
        Assert.True(code.IndexOf("register_module(\"relu6\"", System.StringComparison.Ordinal) < code.IndexOf("register_module(\"maxpool\"", System.StringComparison.Ordinal), "registration order");
        // The in-place construction chosen after BatchNorm stays: a max pool's backward reads its input and indices, never its output.
        Assert.Contains("relu6 = global::TorchSharp.torch.nn.ReLU6(inplace: true);", code);
    }

    [Fact]
    public void Named_blocks_and_graph_nodes_run_their_modules_as_declared()
    {
        // Both are TorchSharp Sequentials, whose forward is the declared order.
        string code = GeneratorHarness.Run(Usings + """
            [Model(1, 8, 8)]
            public partial class Net
            {
                [Conv2d(4, 3, Padding = 1), ReLU, MaxPool2d(2)]
                public partial Sequential Stem { get; }
                [From(nameof(Stem))]
                [Conv2d(4, 1), ReLU, MaxPool2d(3, Stride = 1, Padding = 1)]
                public partial Sequential Branch { get; }
                [Concatenate(nameof(Stem), nameof(Branch))]
                [GlobalAvgPool, Dense(3)]
                public partial Sequential Head { get; }
            }
            """).AssertClean().Single();
        Assert.DoesNotContain("after the max pool", code);
        string chain = GeneratorHarness.Run(Usings + """
            [Model(1, 8, 8)]
            public partial class Chain
            {
                [Conv2d(4, 3, Padding = 1), ReLU, MaxPool2d(2)]
                public partial Sequential Stem { get; }
                [Flatten, Dense(3)]
                public partial Sequential Head { get; }
            }
            """).AssertClean().Single();
        Assert.DoesNotContain("after the max pool", chain);
    }
}

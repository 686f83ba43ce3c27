using System.Linq;
using System.Text.RegularExpressions;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Layers;

/// <summary>
/// Which activations the generator builds in place: a ReLU or ReLU6 right after a layer whose backward never reads its
/// output (Dense, Conv1d, Conv2d, ConvTranspose2d, BatchNorm) in the same chain, and the activation after a residual
/// sum; never one that starts a chain (its input is shared), follows a layer whose output autograd keeps or that is a
/// view or the input itself, or that is another activation kind.
/// </summary>
public class InPlaceActivationRuleTests
{
    private const string Usings = "using ModelDsl;\n";

    private static string[] Constructions(string declaration, string activation = "ReLU")
    {
        string code = GeneratorHarness.Run(Usings + declaration).AssertClean().Single();
        return Regex.Matches(code, $@"= global::TorchSharp\.torch\.nn\.{activation}\((inplace: true)?\);").Select(m => m.Value).ToArray();
    }

    [Theory]
    [InlineData("[Model(4)] [Dense(3), {0}] public partial class Net { }")]
    [InlineData("[Model(4)] [Dense(3), BatchNorm, {0}] public partial class Net { }")]
    [InlineData("[Model(1, 6, 6)] [Conv2d(2, 3), {0}] public partial class Net { }")]
    [InlineData("[Model(1, 6, 6)] [Conv2d(2, 3, Groups = 1), BatchNorm, {0}] public partial class Net { }")]
    [InlineData("[Model(1, 6, 6)] [ConvTranspose2d(2, 2, Stride = 2), {0}] public partial class Net { }")]
    [InlineData("[Model(8, 2)] [Conv1d(3, 3), {0}] public partial class Net { }")]
    public void After_a_layer_that_leaves_its_output_to_it_it_runs_in_place(string declaration)
    {
        foreach (string activation in new[] { "ReLU", "ReLU6" })
            Assert.Equal(new[] { $"= global::TorchSharp.torch.nn.{activation}(inplace: true);" }, Constructions(declaration.Replace("{0}", activation), activation));
    }

    [Theory]
    [InlineData("[Model(4)] [Dense(3), Tanh, {0}] public partial class Net { }")]          // tanh's backward reads its output
    [InlineData("[Model(4)] [Dense(3), Sigmoid, {0}] public partial class Net { }")]
    [InlineData("[Model(4)] [Dense(3), GELU, {0}] public partial class Net { }")]
    [InlineData("[Model(4)] [Dense(3), Dropout(0.5), {0}] public partial class Net { }")]  // eval hands its input back
    [InlineData("[Model(4)] [Dense(3), LayerNorm, {0}] public partial class Net { }")]
    [InlineData("[Model(1, 6, 6)] [Conv2d(2, 3), MaxPool2d(2), {0}] public partial class Net { }")]
    [InlineData("[Model(1, 6, 6)] [Conv2d(2, 3), Flatten, {0}] public partial class Net { }")] // a view of the convolution's output
    [InlineData("[Model(4)] [{0}, Dense(3)] public partial class Net { }")]               // the model's input belongs to the caller
    public void After_anything_else_or_first_it_writes_a_new_tensor(string declaration)
    {
        foreach (string activation in new[] { "ReLU", "ReLU6" })
            Assert.All(Constructions(declaration.Replace("{0}", activation), activation), c => Assert.Equal($"= global::TorchSharp.torch.nn.{activation}();", c));
    }

    [Fact]
    public void Two_rectifiers_in_a_row_the_second_writes_a_new_tensor()
        => Assert.Equal(new[] { "= global::TorchSharp.torch.nn.ReLU(inplace: true);", "= global::TorchSharp.torch.nn.ReLU();" },
            Constructions("[Model(4)] [Dense(3), ReLU, ReLU] public partial class Net { }"));

    [Fact]
    public void Inline_activation_of_a_dense_layer_runs_in_place()
        => Assert.Equal(new[] { "= global::TorchSharp.torch.nn.ReLU(inplace: true);" },
            Constructions("[Model(4)] [Dense(3, Activation = Activation.ReLU)] public partial class Net { }"));

    [Fact]
    public void The_first_layer_of_a_block_reads_the_block_before_it_and_writes_a_new_tensor()
    {
        string[] constructions = Constructions("""
            [Model(4)]
            public partial class Net
            {
                [Dense(3)] public partial TorchSharp.Modules.Sequential Trunk { get; }
                [ReLU, Dense(2), ReLU] public partial TorchSharp.Modules.Sequential Head { get; }
            }
            """);
        Assert.Equal(new[] { "= global::TorchSharp.torch.nn.ReLU();", "= global::TorchSharp.torch.nn.ReLU(inplace: true);" }, constructions);
    }

    [Fact]
    public void In_a_residual_unit_the_branch_start_writes_a_new_tensor_and_the_activation_after_the_sum_runs_in_place()
    {
        // Pre-activation branch (ReLU first: its input is the unit's, which the shortcut adds), ReLU after a convolution,
        // and the unit's activation after the sum (a new tensor only the activation reads).
        string code = GeneratorHarness.Run(Usings + """
            [Model(2, 6, 6)]
            public partial class Net
            {
                [Residual(Activation = Activation.ReLU)]
                [ReLU, Conv2d(2, 3, Padding = 1), ReLU, Conv2d(2, 3, Padding = 1)]
                public partial TorchSharp.Modules.Sequential Stage { get; }
            }
            """).AssertClean().Single();
        Assert.Matches(@"relu1 = global::TorchSharp\.torch\.nn\.ReLU\(\);", code);
        Assert.Matches(@"relu2 = global::TorchSharp\.torch\.nn\.ReLU\(inplace: true\);", code);
        Assert.Matches(@"relu3 = global::TorchSharp\.torch\.nn\.ReLU\(inplace: true\);", code);
    }

    [Theory]
    [InlineData("Tanh")]
    [InlineData("GELU")]
    [InlineData("SiLU")]
    [InlineData("Hardswish")]
    [InlineData("Mish")]
    [InlineData("LeakyReLU(0.1)")]
    [InlineData("ELU")]
    public void Other_activations_never_run_in_place(string activation)
    {
        string code = GeneratorHarness.Run(Usings + $"[Model(4)] [Dense(3), {activation}] public partial class Net {{ }}").AssertClean().Single();
        Assert.DoesNotContain("inplace", code);
    }
}

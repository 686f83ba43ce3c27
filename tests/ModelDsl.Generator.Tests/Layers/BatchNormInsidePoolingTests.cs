using System;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Layers;

/// <summary>
/// A batch norm over images that a class-level chain's forward runs right before a 2×2 max pool at stride 2 (directly,
/// or with a rectifier moved behind the pool) runs inside the pool's kernel: the forward calls
/// <c>pool.ForwardAfter(batchnorm, x)</c>, and with <c>applyReLU: true</c> when a ReLU runs right after that pool. Every
/// other pool, activation, layer in between or place keeps its call, and the modules are registered as declared.
/// </summary>
public class BatchNormInsidePoolingTests
{
    private const string Usings = "using ModelDsl;\nusing TorchSharp.Modules;\n";

    private static string Generate(string declaration) => GeneratorHarness.Run(Usings + declaration).AssertClean().Single();

    private static string Chain(string layers, string input = "2, 8, 8")
        => Generate($"[Model({input})] [Conv2d(4, 3, Padding = 1), {layers}, Flatten, Dense(3)] public partial class Net {{ }}");

    [Theory]
    [InlineData("BatchNorm, MaxPool2d(2)")]
    [InlineData("BatchNorm, ReLU6, MaxPool2d(2, Stride = 2)")]              // the ReLU6 runs after the pool, so the pool is next
    [InlineData("BatchNorm(Momentum = 0.01, Affine = false), MaxPool2d(2)")]
    [InlineData("BatchNorm, MaxPool2d(2, CeilMode = true)")]                 // even sides: ceil mode pools the same windows
    public void A_batch_norm_the_forward_runs_right_before_a_2x2_max_pool_runs_inside_it(string layers)
    {
        string code = Chain(layers);
        Assert.Contains("x = maxpool.ForwardAfter(batchnorm, x);", code);
        Assert.Contains("// batchnorm inside maxpool's 2×2 kernel: it normalizes while it pools, and the normalized image is never written.", code);
        Assert.DoesNotContain("x = batchnorm.forward(x);", code);
    }

    [Theory]
    [InlineData("BatchNorm, ReLU, MaxPool2d(2)")]                            // the ReLU runs after the pool, and then inside it
    [InlineData("BatchNorm, MaxPool2d(2), ReLU")]
    [InlineData("BatchNorm, ReLU, MaxPool2d(2, CeilMode = true), Dropout2d(0.1)")]
    public void A_relu_the_forward_runs_right_after_that_pool_runs_inside_it_too(string layers)
    {
        string code = Chain(layers);
        Assert.Contains("x = maxpool.ForwardAfter(batchnorm, x, applyReLU: true);", code);
        Assert.Contains("// batchnorm and relu inside maxpool's 2×2 kernel: it normalizes while it pools and rectifies what it keeps; the normalized image is never written.", code);
        Assert.DoesNotContain("x = relu.forward(x);", code);
        Assert.DoesNotContain("x = batchnorm.forward(x);", code);
    }

    [Theory]
    [InlineData("BatchNorm, ReLU6, MaxPool2d(2)", "relu6", "maxpool")]                 // min(max(0, x), 6): the kernel applies max(0, ·) only
    [InlineData("BatchNorm, MaxPool2d(2), LeakyReLU(0.1)", "leakyrelu", "maxpool")]
    [InlineData("BatchNorm, MaxPool2d(2), Dropout2d(0.1), ReLU", "relu", "maxpool")]    // a layer in between
    [InlineData("BatchNorm, MaxPool2d(2), ReLU, MaxPool2d(2)", "relu", "maxpool1")]    // this ReLU runs after the second pool
    public void Other_activations_or_places_keep_their_call_after_the_pool(string layers, string activation, string pool)
    {
        string code = Chain(layers);
        Assert.Contains($"x = {pool}.ForwardAfter(batchnorm, x);", code);
        Assert.Contains($"x = {activation}.forward(x);", code);
        Assert.DoesNotContain("applyReLU", code);
    }

    [Theory]
    [InlineData("BatchNorm, MaxPool2d(3, Stride = 2, Padding = 1)", "2, 8, 8")]   // another window: libtorch's kernel
    [InlineData("BatchNorm, MaxPool2d(2, Stride = 1)", "2, 8, 8")]
    [InlineData("BatchNorm, MaxPool2d(2, CeilMode = true)", "2, 7, 7")]            // an odd side adds windows of one row
    [InlineData("BatchNorm, AvgPool2d(2)", "2, 8, 8")]
    [InlineData("BatchNorm, Tanh, MaxPool2d(2)", "2, 8, 8")]                       // Tanh stays before the pool
    [InlineData("BatchNorm, Dropout2d(0.1), MaxPool2d(2)", "2, 8, 8")]
    public void Other_pools_or_a_layer_in_between_keep_both_calls(string layers, string input)
    {
        string code = Chain(layers, input);
        Assert.Contains("x = batchnorm.forward(x);", code);
        Assert.DoesNotContain("ForwardAfter", code);
    }

    private static string FirstStage(string convolution, string layers, string input = "1, 8, 8")
        => Generate($"[Model({input})] [{convolution}, {layers}, Flatten, Dense(3)] public partial class Net {{ }}");

    [Theory]
    [InlineData("Conv2d(4, 3, Padding = 1, Bias = false)", "BatchNorm, ReLU, MaxPool2d(2)", ", applyReLU: true")]
    [InlineData("Conv2d(4, 3, Padding = Padding.Same, Bias = false)", "BatchNorm, MaxPool2d(2), ReLU", ", applyReLU: true")]
    [InlineData("Conv2d(4, 3, Padding = 1, Bias = false)", "BatchNorm, MaxPool2d(2)", "")]
    [InlineData("Conv2d(4, 3, Padding = 1, Bias = false)", "BatchNorm, MaxPool2d(2), LeakyReLU(0.1)", "")]
    public void A_one_channel_3x3_convolution_right_before_that_batch_norm_runs_inside_the_pool_too(string convolution, string layers, string relu)
    {
        string code = FirstStage(convolution, layers);
        Assert.Contains($"x = maxpool.ForwardAfter(batchnorm, conv, x, this{relu});", code);
        Assert.Contains("the convolution's and the batch norm's outputs are never written.", code);
        Assert.DoesNotContain("ChannelsLast.FromLayer", code);
        Assert.DoesNotContain("x = conv.forward(x);", code);
        Assert.DoesNotContain("x = batchnorm.forward(x);", code);
        if (relu.Length > 0) Assert.DoesNotContain("x = relu.forward(x);", code);
    }

    [Theory]
    [InlineData("Conv2d(4, 3, Padding = 1)", "1, 8, 8")]                                 // a bias
    [InlineData("Conv2d(4, 5, Padding = 2, Bias = false)", "1, 8, 8")]                   // 5×5
    [InlineData("Conv2d(4, 3, Stride = 2, Padding = 1, Bias = false)", "1, 16, 16")]
    [InlineData("Conv2d(4, 3, Bias = false)", "1, 10, 10")]                              // no padding
    [InlineData("Conv2d(4, 3, Padding = 2, Dilation = 2, Bias = false)", "1, 8, 8")]
    [InlineData("Conv2d(4, 3, Padding = 1, Bias = false)", "2, 8, 8")]                   // two input channels
    public void Other_first_convolutions_keep_their_call_and_the_batch_norm_still_runs_inside_the_pool(string convolution, string input)
    {
        string code = FirstStage(convolution, "BatchNorm, ReLU, MaxPool2d(2)", input);
        Assert.DoesNotContain("ForwardAfter(batchnorm, conv", code);
        Assert.Contains("(conv, x", code);   // ChannelsLast.FromLayer(conv, x, this) or ChannelsLast.Convolve(conv, x)
        Assert.Contains("x = maxpool.ForwardAfter(batchnorm, x, applyReLU: true);", code);
    }

    [Fact]
    public void The_modules_are_registered_and_summarized_as_declared()
    {
        string code = Chain("BatchNorm, ReLU, MaxPool2d(2)");
        int batchNorm = code.IndexOf("register_module(\"batchnorm\"", StringComparison.Ordinal);
        int relu = code.IndexOf("register_module(\"relu\"", StringComparison.Ordinal);
        int pool = code.IndexOf("register_module(\"maxpool\"", StringComparison.Ordinal);
        Assert.True(batchNorm < relu && relu < pool, "registration order");
        Assert.Matches(@"batchnorm: BatchNorm\s+\[B, 4, 8, 8\]\s+[\s\S]*relu: ReLU\s+\[B, 4, 8, 8\][\s\S]*maxpool: MaxPool2d\(2\)\s+\[B, 4, 4, 4\]", code);
    }

    [Fact]
    public void A_model_that_starts_with_the_pair_compiles_and_calls_it()
    {
        // The layout switch comes before the first layer here, so the pair is the forward's first call.
        string code = Generate("[Model(3, 8, 8)] [BatchNorm, MaxPool2d(2), Flatten, Dense(2)] public partial class Net { }");
        Assert.Contains("ForwardAfter(batchnorm, x)", code);
    }

    [Fact]
    public void Named_blocks_and_graph_nodes_call_their_modules_one_by_one()
    {
        string code = Generate("""
            [Model(1, 8, 8)]
            public partial class Net
            {
                [Conv2d(4, 3, Padding = 1), BatchNorm, MaxPool2d(2)]
                public partial Sequential Stem { get; }
                [From(nameof(Stem))]
                [Conv2d(4, 1), BatchNorm, MaxPool2d(2)]
                public partial Sequential Branch { get; }
                [From(nameof(Stem))]
                [MaxPool2d(2)]
                public partial Sequential Shortcut { get; }
                [Concatenate(nameof(Branch), nameof(Shortcut))]
                [GlobalAvgPool, Dense(3)]
                public partial Sequential Head { get; }
            }
            """);
        Assert.DoesNotContain("ForwardAfter", code);
    }
}

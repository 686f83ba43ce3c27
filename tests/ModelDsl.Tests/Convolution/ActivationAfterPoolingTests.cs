using System.Linq;
using ModelDsl.Tests.Models;
using ModelDsl.Tests.Weights;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Convolution;

/// <summary>
/// The generated forward runs a ReLU or ReLU6 after the max pool declared after it. Both are non-decreasing and exact
/// where flat, so max(f(a), f(b)) = f(max(a, b)) and every gradient goes where it went in the declared order: where f
/// makes window values tie (the zeros a ReLU leaves, the sixes of a ReLU6), its derivative is 0 either way. So the model
/// must give the declared order's outputs and gradients bit for bit, ties included. Sets the process-wide layout policy.
/// </summary>
[Collection(nameof(GlobalGeneratorCollection))]
public class ActivationAfterPoolingTests
{
    [Theory]
    [InlineData(true, 1f)]
    [InlineData(false, 1f)]
    [InlineData(true, 20f)]    // the second convolution's weights scaled up: many ReLU6 outputs tie at 6
    [InlineData(false, 20f)]
    public void The_forward_gives_the_declared_orders_outputs_and_gradients_bit_for_bit(bool training, float gain)
    {
        using var scope = NewDisposeScope();
        var model = WithSecondConvolutionGain(gain);
        model.train(training);
        Tensor images = randn(new long[] { 6, 3, 13, 13 }, generator: new Generator(3));
        var modules = model.named_children().Select(c => (nn.Module<Tensor, Tensor>)c.module).ToArray();
        Assert.Equal(new[] { "conv1", "batchnorm", "relu", "maxpool1", "conv2", "relu6", "maxpool2", "flatten", "dense" },
            model.named_children().Select(c => c.name).ToArray());

        (Tensor Output, Tensor[] Gradients) Run(System.Func<Tensor, Tensor> forward)
        {
            foreach (var p in model.parameters()) p.grad = null;
            Tensor output = forward(images);
            (output * output).sum().backward();
            return (output.detach().clone(), model.parameters().Select(p => p.grad!.detach().clone()).ToArray());
        }

        Tensor Declared(Tensor x)
        {
            foreach (var module in modules) x = module.forward(x);
            return x;
        }

        ChannelsLastPolicy before = ChannelsLast.Policy;
        try
        {
            ChannelsLast.Policy = ChannelsLastPolicy.Never;   // the same kernels in both runs: only the order differs
            var (generated, generatedGradients) = Run(model.forward);
            var (declared, declaredGradients) = Run(Declared);
            Assert.True(generated.Equals(declared), "outputs");
            for (int i = 0; i < declaredGradients.Length; i++) Assert.True(generatedGradients[i].Equals(declaredGradients[i]), $"gradient of parameter {i}");
            Assert.True(declaredGradients.All(g => g.abs().sum().item<float>() > 0), "every parameter gets a gradient");
        }
        finally
        {
            ChannelsLast.Policy = before;
        }
    }

    [Fact]
    public void The_rectifiers_outputs_tie_in_the_pool_windows_the_test_above_compares()
    {
        // What makes the comparison above a test of the gradients' routing: in the declared order, windows whose values
        // all rectify to 0 (ReLU) or clip to 6 (ReLU6), where the pool picks one of equal values.
        using var scope = NewDisposeScope();
        var model = WithSecondConvolutionGain(20);
        Tensor images = randn(new long[] { 6, 3, 13, 13 }, generator: new Generator(3));
        Tensor x = model.named_children().Take(3).Aggregate(images, (t, c) => ((nn.Module<Tensor, Tensor>)c.module).forward(t));
        Tensor windowsAtZero = nn.functional.max_pool2d(x, 2, 2).eq(0).sum();
        Assert.True(windowsAtZero.item<long>() > 10, $"{windowsAtZero.item<long>()} all-zero windows after the ReLU");
        Tensor y = model.named_children().Take(6).Aggregate(images, (t, c) => ((nn.Module<Tensor, Tensor>)c.module).forward(t));
        Assert.True(y.eq(6).sum().item<long>() > 10, "values clipped to 6 after the ReLU6");
    }

    private static PooledRectifierCnn WithSecondConvolutionGain(float gain)
    {
        var model = new PooledRectifierCnn(seed: 11);
        using var noGrad = no_grad();
        ((TorchSharp.Modules.Conv2d)model.named_children().Single(c => c.name == "conv2").module).weight.mul_(gain);
        return model;
    }
}

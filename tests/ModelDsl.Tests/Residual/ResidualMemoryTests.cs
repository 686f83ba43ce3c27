using System.Linq;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Residual;

/// <summary>
/// A residual unit frees its branch's intermediate results, the shortcut's and the sum as soon as it has read them, as
/// TorchSharp's Sequential does: a C# handle keeps its native tensor alive until disposed, and holding every activation
/// until the step's dispose scope ended made ResNet-18's training step 1.46× TorchVision's. Autograd keeps what backward
/// needs, so values and gradients are those of the same function computed without freeing anything.
/// </summary>
public class ResidualMemoryTests
{
    private static ResidualBlock Unit(bool projection)
    {
        manual_seed(3);
        var branch = new (string, nn.Module<Tensor, Tensor>)[]
        {
            ("dense1", nn.Linear(4, 6)), ("relu", nn.ReLU()), ("dense2", nn.Linear(6, 6)), ("tanh", nn.Tanh()), ("dense3", nn.Linear(6, projection ? 5 : 4)),
        };
        return new ResidualBlock(branch, projection ? nn.Linear(4, 5) : null, ("relu2", nn.ReLU()));
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(true, false)]
    public void Only_the_output_outlives_the_forward(bool projection, bool training)
    {
        ResidualBlock unit = Unit(projection);
        unit.train(training);
        using Tensor input = randn(3, 4);
        using var scope = NewDisposeScope();
        Tensor output = unit.forward(input);
        Assert.Equal(1, scope.DisposablesCount);
        Assert.False(output.IsInvalid);
        Assert.False(input.IsInvalid); // the caller's input is the caller's
    }

    /// <summary>torchvision's basic block: convolution, batch norm (ModelDsl's and TorchSharp's), ReLU, convolution, batch norm, sum, ReLU.</summary>
    private static ResidualBlock ImageUnit(bool projection)
    {
        manual_seed(4);
        var branch = new (string, nn.Module<Tensor, Tensor>)[]
        {
            ("conv1", nn.Conv2d(3, 4, 3, padding: 1)), ("bn1", new BatchNormalization(4)), ("relu", nn.ReLU()),
            ("conv2", nn.Conv2d(4, projection ? 5 : 3, 3, padding: 1)), ("bn2", nn.BatchNorm2d(projection ? 5 : 3)),
        };
        return new ResidualBlock(branch, projection ? nn.Conv2d(3, 5, 1) : null, ("relu2", nn.ReLU()));
    }

    [Theory]
    [InlineData(false, false, true)]
    [InlineData(true, false, true)]
    [InlineData(false, true, true)]
    [InlineData(true, true, true)]
    [InlineData(true, true, false)]
    public void Values_and_gradients_equal_the_unit_computed_without_freeing(bool projection, bool image, bool training)
    {
        using var scope = NewDisposeScope();
        ResidualBlock unit = image ? ImageUnit(projection) : Unit(projection);
        unit.train(training);
        Tensor input = (image ? randn(2, 3, 5, 5) : randn(3, 4)).requires_grad_(true);
        Tensor freed = unit.forward(input);
        freed.square().sum().backward();
        var gradients = unit.parameters().Select(p => p.grad!.clone()).ToList();
        Tensor inputGradient = input.grad!.clone();
        unit.zero_grad();
        input.grad = null;

        var layers = unit.Branch.Select(b => b.Module).ToList();
        Tensor x = input;
        foreach (var layer in layers) x = layer.forward(x);
        Tensor expected = nn.functional.relu(x + (unit.Shortcut is { } shortcut ? shortcut.forward(input) : input));
        expected.square().sum().backward();

        Assert.True(freed.equal(expected).all().item<bool>());
        Assert.True(input.grad!.allclose(inputGradient, rtol: 0, atol: 1e-7));
        foreach ((Tensor kept, Parameter p) in gradients.Zip(unit.parameters())) Assert.True(p.grad!.allclose(kept, rtol: 0, atol: 1e-7));
    }
}

using System.Linq;
using ModelDsl.Tests.Models;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Foundation;

public class CardModelTests
{
    [Fact]
    public void Card_model_is_a_torchsharp_module_with_the_declared_shape_and_parameter_count()
    {
        using var scope = NewDisposeScope();
        var model = new Mlp(seed: 1);
        nn.Module<Tensor, Tensor> module = model;

        long parameters = module.parameters().Sum(p => p.numel());
        Assert.Equal(784 * 256 + 256 + 2 * 256 + 256 * 10 + 10, parameters);
        Assert.Equal(204_042, parameters);

        model.eval();
        Assert.Equal(new long[] { 5, 10 }, module.forward(randn(5, 784)).shape);
    }
}

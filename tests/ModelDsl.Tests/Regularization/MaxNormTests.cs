using System.Linq;
using ModelDsl.Tests.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Regularization;

public class MaxNormTests
{
    [Fact]
    public void Max_norm_rescales_only_rows_above_c_after_an_optimizer_step()
    {
        using var scope = NewDisposeScope();
        var model = new MaxNormModel(seed: 1); // Dense(8, Init = Normal(0, 1), MaxNorm = 0.5) on [B, 10]
        var weight = model.named_parameters().Single(p => p.name == "dense1.weight").parameter;
        var other = model.named_parameters().Single(p => p.name == "dense2.weight").parameter;
        // Row 0 small (norm 0.1): it must stay untouched; other rows have norm ≈ √10 ≫ 0.5.
        using (no_grad()) weight[0].copy_(full(10, 0.1 / System.Math.Sqrt(10)));

        var sgd = optim.SGD(model.parameters(), 0.01);
        Tensor loss = model.forward(randn(4, 10)).square().mean();
        loss.backward();
        sgd.step();
        Tensor afterStep = weight.detach().clone(), otherAfterStep = other.detach().clone();
        Tensor directions = afterStep / afterStep.norm(1, true);
        Assert.True(afterStep[0].norm().ToDouble() < 0.5 && afterStep[1..].norm(1, false).min().ToDouble() > 0.5);
        MaxNorm.Apply(model); // the runtime helper calls the generated ApplyConstraints()

        Tensor norms = weight.detach().norm(1, false);
        // renorm scales to c/(‖w‖ + 1e-7): norms end at c within float32 rounding.
        Assert.True(norms.max().ToDouble() <= 0.5 + 1e-6, $"row norms {norms}");
        Assert.True(norms[1..].min().ToDouble() >= 0.5 - 1e-5);
        Assert.True(weight[0].eq(afterStep[0]).all().item<bool>(), "a row within the bound is left exactly as it is");
        // Rescaling keeps each row's direction.
        Assert.True(allclose(weight.detach() / weight.detach().norm(1, true), directions, rtol: 1e-5, atol: 1e-6));
        Assert.True(other.eq(otherAfterStep).all().item<bool>(), "a layer without MaxNorm is untouched");
    }
}

using System;
using System.Linq;
using ModelDsl.Tests.Models;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Ensembles;

/// <summary>The vectorized form computes what k separate members compute, forward and backward.</summary>
public class VectorizedStackTests
{
    private const int K = 4;

    // VectorizableNet's layers, described for the stack.
    private static readonly VectorizedLayer[] Layers =
    {
        VectorizedLayer.Dense(6, 12), VectorizedLayer.Activation(VectorizedLayerKind.ReLU, 12), VectorizedLayer.LayerNorm(12), VectorizedLayer.Dropout(12, 0.2),
        VectorizedLayer.Dense(12, 12), VectorizedLayer.Activation(VectorizedLayerKind.Tanh, 12), VectorizedLayer.WeightScalingDropout(12, 0.9),
        VectorizedLayer.Dense(12, 3),
    };

    private static (VectorizableNet[] Members, VectorizedDenseStack Stack) Pair()
    {
        var members = Enumerable.Range(0, K).Select(i => new VectorizableNet(EnsembleSeeds.ForMember(3, i))).ToArray();
        var stack = new VectorizedDenseStack(K, Layers);
        stack.CopyFrom(members);
        // Non-trivial LayerNorm γ, β so their copy and gradients are really checked.
        using (no_grad())
        {
            foreach (var m in members)
                foreach (var norm in m.modules().OfType<LayerNorm>()) { norm.weight!.uniform_(0.5, 1.5); norm.bias!.uniform_(-0.5, 0.5); }
        }
        stack.CopyFrom(members);
        return (members, stack);
    }

    [Fact]
    public void Vectorized_outputs_equal_the_loop_form_within_1e_5()
    {
        using var scope = NewDisposeScope();
        var (members, stack) = Pair();
        foreach (var m in members) m.eval();
        stack.eval();
        Tensor x = randn(32, 6);
        Tensor loop = stack_members(members, x);
        Tensor vectorized = stack.forward(x);
        Assert.Equal(new long[] { K, 32, 3 }, vectorized.shape);
        // float32 with the same operations in a different order (batched vs separate GEMM): differences are a few ulps of O(1)
        // values, far below 1e-5.
        Assert.True((loop - vectorized).abs().max().ToDouble() < 1e-5);
        // Per-member input [k, B, in] is accepted too.
        Assert.True((stack.forward(x.unsqueeze(0).expand(K, -1, -1)) - vectorized).abs().max().ToDouble() == 0);
    }

    [Fact]
    public void Vectorized_gradients_equal_the_loop_form_within_1e_5()
    {
        using var scope = NewDisposeScope();
        var (members, stack) = Pair();
        foreach (var m in members) m.eval(); // dropout off so both forms compute the same function
        stack.eval();
        Tensor x = randn(16, 6);
        Tensor target = randn(K, 16, 3);
        ((stack_members(members, x) - target).pow(2).sum()).backward();
        ((stack.forward(x) - target).pow(2).sum()).backward();

        var p = stack.named_parameters().ToDictionary(t => t.name, t => t.parameter);
        for (int i = 0; i < K; i++)
        {
            Linear[] linears = members[i].modules().OfType<Linear>().ToArray();
            int[] denseIndex = { 0, 4, 7 };
            for (int d = 0; d < 3; d++)
            {
                Close(linears[d].weight!.grad!.t(), p[$"layer{denseIndex[d]}_weight"].grad![i]);
                Close(linears[d].bias!.grad!, p[$"layer{denseIndex[d]}_bias"].grad![i, 0]);
            }
            LayerNorm norm = members[i].modules().OfType<LayerNorm>().Single();
            Close(norm.weight!.grad!, p["layer2_weight"].grad![i, 0]);
            Close(norm.bias!.grad!, p["layer2_bias"].grad![i, 0]);
        }
    }

    // A single-output dense layer takes its own path (multiply and sum instead of bmm); it must compute the same as Linear.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_single_output_layer_equals_Linear_forward_and_backward(bool bias)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(11);
        var members = Enumerable.Range(0, 3)
            .Select(_ => nn.Sequential(nn.Linear(5, 7), nn.Tanh(), nn.Linear(7, 1, hasBias: bias)))
            .ToArray();
        var stacked = new VectorizedDenseStack(3, new[] { VectorizedLayer.Dense(5, 7), VectorizedLayer.Activation(VectorizedLayerKind.Tanh, 7), VectorizedLayer.Dense(7, 1, bias) });
        stacked.CopyFrom(members);
        Tensor x = randn(new long[] { 9, 5 }, generator: g);
        Tensor target = randn(new long[] { 3, 9, 1 }, generator: g);

        Tensor loop = stack(members.Select(m => m.forward(x)).ToArray());
        Tensor vectorized = stacked.forward(x);
        Assert.Equal(new long[] { 3, 9, 1 }, vectorized.shape);
        Close(loop, vectorized);

        (loop - target).pow(2).sum().backward();
        (vectorized - target).pow(2).sum().backward();
        var p = stacked.named_parameters().ToDictionary(t => t.name, t => t.parameter);
        for (int i = 0; i < 3; i++)
        {
            Linear head = members[i].modules().OfType<Linear>().Last();
            Close(head.weight!.grad!.t(), p["layer2_weight"].grad![i]);
            if (bias) Close(head.bias!.grad!, p["layer2_bias"].grad![i, 0]);
            Close(members[i].modules().OfType<Linear>().First().weight!.grad!.t(), p["layer0_weight"].grad![i]);
        }
    }

    [Fact]
    public void Training_mode_draws_independent_dropout_masks_per_member()
    {
        using var scope = NewDisposeScope();
        var stack = new VectorizedDenseStack(3, new[] { VectorizedLayer.Dense(4, 4), VectorizedLayer.Dropout(4, 0.5) });
        using (no_grad()) stack.parameters().First().copy_(eye(4).expand(3, -1, -1));
        stack.train();
        Tensor y = stack.forward(ones(64, 4));
        // Inverted dropout: every value is 0 or 1/(1 − 0.5) = 2, and the members' masks differ.
        Assert.True(((y == 0) | (y == 2)).all().ToBoolean());
        Assert.False(y[0].allclose(y[1], rtol: 0, atol: 0));
    }

    [Fact]
    public void Wrong_input_width_and_mismatched_members_are_rejected_with_shapes()
    {
        using var scope = NewDisposeScope();
        var (_, stack) = Pair();
        var error = Assert.Throws<ShapeMismatchException>(() => stack.forward(randn(2, 5)));
        Assert.Contains("[B, 6]", error.Message);
        Assert.Contains("[2, 5]", error.Message);
        var tiny = Enumerable.Range(0, K).Select(i => (nn.Module<Tensor, Tensor>)new TinyRegressor(i)).ToArray();
        Assert.ThrowsAny<ArgumentException>(() => stack.CopyFrom(tiny));
        Assert.Throws<ArgumentException>(() => new VectorizedDenseStack(2, new[] { VectorizedLayer.Dense(3, 4), VectorizedLayer.Dense(5, 1) }));
    }

    private static Tensor stack_members(VectorizableNet[] members, Tensor x) => stack(members.Select(m => m.forward(x)).ToArray());

    private static void Close(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        double diff = (expected - actual).abs().max().ToDouble();
        Assert.True(diff < 1e-5, $"differs by {diff}");
    }
}

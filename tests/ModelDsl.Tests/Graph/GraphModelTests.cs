using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Graph;

/// <summary>
/// Generated graph models against the same computation written by hand in TorchSharp on their state_dict (train and
/// eval, 1e-6), with several inputs and outputs, taps, seeds and shape errors.
/// </summary>
public class GraphModelTests
{
    /// <summary>Every floating parameter and buffer redrawn from a seeded generator, so nothing compares against γ = 1, β = 0.</summary>
    private static Dictionary<string, Tensor> Randomize(nn.Module model)
    {
        var generator = new Generator(7);
        using (no_grad())
        {
            foreach ((string name, Tensor t) in model.state_dict())
            {
                if (!t.is_floating_point()) continue;
                if (name.EndsWith("running_var", StringComparison.Ordinal)) t.uniform_(0.5, 1.5, generator: generator);
                else t.normal_(0, 0.5, generator: generator);
            }
        }
        return model.state_dict().ToDictionary(e => e.Key, e => e.Value.detach().clone());
    }

    private static Tensor Linear(Tensor x, Dictionary<string, Tensor> p, string key) => nn.functional.linear(x, p[key + ".weight"], p[key + ".bias"]);

    private static Tensor Norm(Tensor x, Dictionary<string, Tensor> p, string key, bool training)
        => nn.functional.batch_norm(x, p[key + ".running_mean"].clone(), p[key + ".running_var"].clone(), p[key + ".weight"], p[key + ".bias"], training, 0.1, 1e-5);

    private static Tensor Conv(Tensor x, Dictionary<string, Tensor> p, string key, long padding)
        => nn.functional.conv2d(x, p[key + ".weight"], p[key + ".bias"], padding: new[] { padding, padding });

    private static void Close(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        double error = (expected - actual).abs().max().item<float>();
        // float32 rounding of a few dozen multiply-adds per value stays far below 1e-6 at these magnitudes.
        Assert.True(error <= 1e-6, $"max |expected − actual| = {error:g3}");
    }

    public static TheoryData<string, bool> Merges()
    {
        var data = new TheoryData<string, bool>();
        foreach (string merge in new[] { "Add", "Multiply", "Average", "Concatenate" })
        {
            data.Add(merge, true);
            data.Add(merge, false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Merges))]
    public void Each_merge_equals_hand_written_torchsharp(string merge, bool training)
    {
        using var scope = NewDisposeScope();
        using nn.Module<Tensor, Tensor> model = merge switch
        {
            "Add" => new AddNet(seed: 1),
            "Multiply" => new MultiplyNet(seed: 1),
            "Average" => new AverageNet(seed: 1),
            _ => new ConcatenateNet(seed: 1),
        };
        Dictionary<string, Tensor> p = Randomize(model);
        Tensor x = randn(new long[] { 8, 6 }, generator: new Generator(3));
        if (training) model.train(); else model.eval();

        Tensor a = nn.functional.relu(Norm(Linear(x, p, "a.dense"), p, "a.batchnorm", training));
        Tensor b = Linear(x, p, "b.dense").tanh();
        Tensor joined = merge switch
        {
            "Add" => a + b,
            "Multiply" => a * b,
            "Average" => stack(new[] { a, b }).mean(new long[] { 0 }),
            _ => cat(new[] { a, b }, 1),
        };
        Close(Linear(joined, p, "joined.dense"), model.forward(x));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_inception_module_equals_hand_written_torchsharp_and_runs_channels_last(bool training)
    {
        using var scope = NewDisposeScope();
        using var model = new MiniInception(seed: 2);
        Dictionary<string, Tensor> p = Randomize(model);
        Tensor x = randn(new long[] { 4, 1, 8, 8 }, generator: new Generator(4));
        if (training) model.train(); else model.eval();

        Tensor stem = nn.functional.relu(Norm(Conv(x, p, "stem.conv", 1), p, "stem.batchnorm", training));
        Tensor b1 = nn.functional.relu(Conv(stem, p, "branch1.conv", 0));
        Tensor b3 = nn.functional.relu(Conv(stem, p, "branch3.conv", 1));
        Tensor mixed = nn.functional.max_pool2d(cat(new[] { b1, b3 }, 1), new long[] { 2, 2 });
        Tensor expected = Linear(nn.functional.adaptive_avg_pool2d(mixed, new long[] { 1, 1 }).flatten(1), p, "head.dense");
        Close(expected, model.forward(x));
        Assert.Contains("memory layout: channels-last (NHWC) after stem", model.Summary());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Two_inputs_and_three_outputs_come_back_by_name(bool training)
    {
        using var scope = NewDisposeScope();
        using var model = new TwoHeads(seed: 3);
        Dictionary<string, Tensor> p = Randomize(model);
        Tensor image = randn(new long[] { 5, 2, 6, 6 }, generator: new Generator(5));
        Tensor meta = randn(new long[] { 5, 3 }, generator: new Generator(6));
        if (training) model.train(); else model.eval();

        Tensor features = nn.functional.relu(Conv(image, p, "features.conv", 1));
        Tensor squeeze = nn.functional.avg_pool2d(features, new long[] { 6, 6 });
        squeeze = Conv(nn.functional.relu(Conv(squeeze, p, "squeeze.conv1", 0)), p, "squeeze.conv2", 0).sigmoid();
        Tensor pooled = nn.functional.adaptive_avg_pool2d(features * squeeze, new long[] { 1, 1 }).flatten(1);
        Tensor context = nn.functional.relu(Linear(meta, p, "context.dense"));
        Tensor trunk = nn.functional.relu(Linear(cat(new[] { pooled, context }, 1), p, "trunk.dense"));

        TwoHeads.Outputs outputs = model.forward(image, meta);
        Close(Linear(trunk, p, "class.dense"), outputs.Class);
        Close(Linear(trunk, p, "box.dense"), outputs.Box);
        Close(pooled, outputs.Embedding);
    }

    [Fact]
    public void A_loss_per_output_trains_the_shared_trunk()
    {
        using var scope = NewDisposeScope();
        using var model = new TwoHeads(seed: 4);
        Tensor image = randn(new long[] { 6, 2, 6, 6 }, generator: new Generator(8));
        Tensor meta = randn(new long[] { 6, 3 }, generator: new Generator(9));
        Tensor labels = tensor(new long[] { 0, 1, 2, 3, 4, 0 });
        Tensor boxes = rand(new long[] { 6, 4 }, generator: new Generator(10));
        var optimizer = optim.Adam(model.parameters(), lr: 0.01);
        double First() { using var s = NewDisposeScope(); TwoHeads.Outputs o = model.forward(image, meta); return (nn.functional.cross_entropy(o.Class, labels) + 0.5 * nn.functional.mse_loss(o.Box, boxes)).item<float>(); }
        double before = First();
        for (int step = 0; step < 60; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            TwoHeads.Outputs outputs = model.forward(image, meta);
            Tensor loss = nn.functional.cross_entropy(outputs.Class, labels) + 0.5 * nn.functional.mse_loss(outputs.Box, boxes);
            loss.backward();
            optimizer.step();
        }
        Assert.True(First() < 0.7 * before, $"the weighted sum of both losses fell from {before:g4} to {First():g4}");
        // Both heads' gradients reached the shared convolution.
        Assert.NotNull(model.named_parameters().Single(n => n.name == "features.conv.weight").parameter.grad);
    }

    [Fact]
    public void Inputs_with_different_batches_name_the_input_and_both_sizes()
    {
        using var scope = NewDisposeScope();
        using var model = new TwoHeads(seed: 5);
        var error = Assert.Throws<ShapeMismatchException>(() => model.forward(zeros(4, 2, 6, 6), zeros(3, 3)));
        Assert.Contains("input 'meta'", error.Message);
        Assert.Contains("a batch of 4", error.Message);
        Assert.Contains("[3, 3]", error.Message);
        var shape = Assert.Throws<ShapeMismatchException>(() => model.forward(zeros(4, 2, 6, 6), zeros(4, 5)));
        Assert.Contains("input 'meta'", shape.Message);
    }

    [Fact]
    public void The_same_seed_gives_bit_identical_graph_models()
    {
        using var scope = NewDisposeScope();
        using var first = new TwoHeads(seed: 11);
        using var second = new TwoHeads(seed: 11);
        var a = first.state_dict();
        var b = second.state_dict();
        Assert.Equal(a.Keys, b.Keys);
        foreach (string key in a.Keys) Assert.True((a[key] == b[key]).all().item<bool>(), key);
        // Keys follow the blocks: the tap and the join add none.
        Assert.DoesNotContain(a.Keys, k => k.StartsWith("embedding.", StringComparison.Ordinal) || k.StartsWith("excited.", StringComparison.Ordinal));
        Assert.Contains("squeeze.conv2.weight", a.Keys);
    }

    [Fact]
    public void An_ensemble_of_graph_models_averages_its_members()
    {
        using var scope = NewDisposeScope();
        using var ensemble = new MiniInceptionEnsemble(seed: 6);
        ensemble.eval();
        Tensor x = randn(new long[] { 3, 1, 8, 8 }, generator: new Generator(12));
        Tensor output = ensemble.forward(x);
        Assert.Equal(new long[] { 3, 4 }, output.shape);
    }

    [Fact]
    public void The_graph_as_data_matches_the_declaration()
    {
        using var model = new TwoHeads(seed: 1);
        ModelGraph graph = model.Graph;
        Assert.Equal(new[] { "image", "meta" }, graph.Inputs.Select(i => i.Name));
        Assert.Equal(new[] { "Class", "Box", "Embedding" }, graph.Outputs.Select(o => o.Name));
        GraphNode excited = graph.Nodes.Single(n => n.Name == "excited");
        Assert.Equal(GraphMerge.Multiply, excited.Merge);
        Assert.Equal(new[] { "features", "squeeze" }, excited.Sources);
    }
}

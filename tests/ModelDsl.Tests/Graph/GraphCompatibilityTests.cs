using System;
using System.IO;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Training;
using ModelDsl.Weights;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Graph;

/// <summary>What works for chains works for graph models: weight decay, max-norm, dropout modes, dtype, the Trainer, weights files.</summary>
public class GraphCompatibilityTests
{
    [Fact]
    public void Weight_decay_covers_exactly_the_declared_group_in_a_branch()
    {
        using var scope = NewDisposeScope();
        using var model = new RegularizedGraph(seed: 1);
        Tensor w = model.named_parameters().Single(p => p.name == "a.dense.weight").parameter;
        // λ2/2 · ‖W‖² over the branch's weight only (biases and the other branch are not in the group).
        double expected = 0.1 / 2 * w.pow(2).sum().item<float>();
        Assert.Equal(expected, model.Penalty().item<float>(), 6);
    }

    [Fact]
    public void Max_norm_applies_to_the_head_after_a_merge()
    {
        using var scope = NewDisposeScope();
        using var model = new RegularizedGraph(seed: 2);
        using (no_grad()) model.named_parameters().Single(p => p.name == "head.dense.weight").parameter.mul_(10);
        model.ApplyConstraints();
        Tensor norms = model.named_parameters().Single(p => p.name == "head.dense.weight").parameter.norm(1, keepdim: false);
        Assert.True(norms.max().item<float>() <= 0.5 + 1e-6);
    }

    [Fact]
    public void Dropout_acts_in_training_only_and_float64_runs_end_to_end()
    {
        using var scope = NewDisposeScope();
        using var model = new RegularizedGraph(seed: 3);
        Tensor x = randn(new long[] { 64, 6 }, generator: new Generator(1));
        model.eval();
        Assert.True((model.forward(x) == model.forward(x)).all().item<bool>());
        model.train();
        Assert.False((model.forward(x) == model.forward(x)).all().item<bool>());

        model.to(ScalarType.Float64);
        model.eval();
        Assert.Equal(ScalarType.Float64, model.forward(x.to(ScalarType.Float64)).dtype);
    }

    [Fact]
    public void The_trainer_fits_a_graph_model_and_its_weights_file_round_trips()
    {
        using var scope = NewDisposeScope();
        using var model = new AddNet(seed: 4);
        var generator = new Generator(5);
        Tensor x = randn(new long[] { 256, 6 }, generator: generator);
        Tensor y = x.narrow(1, 0, 3).argmax(1);
        using var data = new LabeledData(x, y);
        var trainer = new Trainer(model, optim.Adam(model.parameters(), 0.05), new TrainerOptions { Epochs = 20, BatchSize = 32, Seed = 1 });
        trainer.Fit(data);
        Assert.True(trainer.Evaluate(data)["accuracy"] > 0.9);

        string path = Path.Combine(Path.GetTempPath(), $"graph-{Guid.NewGuid():N}.safetensors");
        try
        {
            model.SaveWeights(path);
            using var copy = new AddNet(seed: 99);
            copy.LoadWeights(path);
            model.eval();
            copy.eval();
            Assert.True((model.forward(x) == copy.forward(x)).all().item<bool>());
        }
        finally
        {
            File.Delete(path);
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Graph;

/// <summary>
/// The GraphTrainer on graph models with two inputs and several outputs: the weighted total against a hand computation,
/// per-output losses and metrics with Keras's keys, early stopping on one output's validation loss, flat memory,
/// errors naming the input, output and target, and rows that stay aligned across inputs when shuffled.
/// </summary>
public class GraphTrainerTests
{
    // TwoHeads: image [2, 6, 6], meta [3] → Class [5], Box [4] (and the Embedding tap, not trained).
    internal static GraphData TwoHeadsData(long n, ulong seed, long boxWidth = 4)
    {
        var generator = new Generator(seed);
        return new GraphData(
            new Dictionary<string, Tensor> { ["image"] = randn(new long[] { n, 2, 6, 6 }, generator: generator), ["meta"] = randn(new long[] { n, 3 }, generator: generator) },
            new Dictionary<string, Tensor> { ["digit"] = randint(0, 5, new long[] { n }, generator: generator), ["box"] = rand(new long[] { n, boxWidth }, generator: generator) });
    }

    internal static GraphTrainer<TwoHeads.Outputs> NewTrainer(TwoHeads model, TrainerOptions options, double lr = 0.01, double boxWeight = 0.5)
        => new GraphTrainer<TwoHeads.Outputs>(model, optim.Adam(model.parameters(), lr: lr), options)
            .AddOutput("class", o => o.Class, target: "digit", loss: (o, t) => nn.functional.cross_entropy(o, t), weight: 1.0, new Accuracy())
            .AddOutput("box", o => o.Box, target: "box", loss: (o, t) => nn.functional.mse_loss(o, t), weight: boxWeight, new MeanAbsoluteError());

    [Fact]
    public void The_loss_is_the_weighted_sum_of_the_output_losses()
    {
        using var data = TwoHeadsData(10, seed: 1);
        using var model = new TwoHeads(seed: 2);
        double classLoss, boxLoss, accuracy;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            TwoHeads.Outputs o = model.forward(data.Inputs["image"], data.Inputs["meta"]);
            classLoss = nn.functional.cross_entropy(o.Class, data.Targets["digit"]).item<float>();
            boxLoss = nn.functional.mse_loss(o.Box, data.Targets["box"]).item<float>();
            accuracy = o.Class.argmax(1).eq(data.Targets["digit"]).to_type(ScalarType.Float64).mean().item<double>();
        }
        double expected = 1.0 * classLoss + 0.3 * boxLoss;

        // One batch of all 10 rows with lr = 0: the step's recorded values are those of the weights above.
        var trainer = new GraphTrainer<TwoHeads.Outputs>(model, optim.SGD(model.parameters(), 0.0), new TrainerOptions { Epochs = 1, BatchSize = 10, Seed = 3 })
            .AddOutput("class", o => o.Class, "digit", (o, t) => nn.functional.cross_entropy(o, t), 1.0, new Accuracy())
            .AddOutput("box", o => o.Box, "box", (o, t) => nn.functional.mse_loss(o, t), 0.3);
        var record = trainer.Fit(data).Records.Single();
        Assert.Equal(expected, record["loss"], 1e-6);
        Assert.Equal(classLoss, record["class_loss"], 1e-6);
        Assert.Equal(boxLoss, record["box_loss"], 1e-6);
        Assert.Equal(accuracy, record["class_accuracy"], 1e-12);

        var evaluated = trainer.Evaluate(data);
        Assert.Equal(expected, evaluated["loss"], 1e-6);
        Assert.Equal(classLoss, evaluated["class_loss"], 1e-6);
        Assert.Equal(boxLoss, evaluated["box_loss"], 1e-6);
    }

    [Fact]
    public void Each_output_has_its_loss_and_metrics_per_epoch_with_validation_keys()
    {
        using var train = TwoHeadsData(40, seed: 4);
        using var validation = TwoHeadsData(12, seed: 5);
        using var model = new TwoHeads(seed: 6);
        var history = NewTrainer(model, new TrainerOptions { Epochs = 3, BatchSize = 8, Seed = 7 }).Fit(train, validation);

        Assert.Equal(3, history.Records.Count);
        string[] keys = { "loss", "class_loss", "class_accuracy", "box_loss", "box_mae" };
        foreach (var record in history.Records)
        {
            Assert.Equal(keys.Concat(keys.Select(k => "val_" + k)).OrderBy(k => k), record.Values.Keys.OrderBy(k => k));
            Assert.InRange(record["class_accuracy"], 0, 1);
            Assert.InRange(record["val_class_accuracy"], 0, 1);
            Assert.Equal(record["val_class_loss"] + 0.5 * record["val_box_loss"], record["val_loss"], 1e-5);
        }
        // Training moves the weighted loss down.
        Assert.True(history.Values("loss")[^1] < history.Values("loss")[0]);
    }

    [Fact]
    public void Under_autocast_both_heads_train_with_float32_losses_and_parameters()
    {
        using var train = TwoHeadsData(40, seed: 4);
        using var validation = TwoHeadsData(12, seed: 5);
        using var model = new TwoHeads(seed: 6);
        var history = NewTrainer(model, new TrainerOptions { Epochs = 3, BatchSize = 8, Seed = 7, Autocast = true }).Fit(train, validation);

        Assert.False(Autocast.IsEnabled);
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        foreach (var record in history.Records)
            Assert.All(record.Values, pair => Assert.True(double.IsFinite(pair.Value), $"{pair.Key} = {pair.Value}"));
        Assert.True(history.Values("loss")[^1] < history.Values("loss")[0]);
    }

    [Fact]
    public void Early_stopping_watches_one_outputs_validation_loss()
    {
        using var train = TwoHeadsData(16, seed: 8);
        using var validation = TwoHeadsData(8, seed: 9);
        using var model = new TwoHeads(seed: 10);
        // lr = 0: val_class_loss never improves after the first check, so patience 2 stops after the third epoch.
        var trainer = new GraphTrainer<TwoHeads.Outputs>(model, optim.SGD(model.parameters(), 0.0), new TrainerOptions { Epochs = 10, BatchSize = 8 })
            .AddOutput("class", o => o.Class, "digit", (o, t) => nn.functional.cross_entropy(o, t), 1.0, new Accuracy())
            .AddOutput("box", o => o.Box, "box", (o, t) => nn.functional.mse_loss(o, t));
        using var stopping = new EarlyStopping("val_class_loss", patience: 2);
        using var byAccuracy = new EarlyStopping("val_class_accuracy", patience: 100);
        trainer.Callbacks.Add(stopping);
        trainer.Callbacks.Add(byAccuracy);

        trainer.Fit(train, validation);

        Assert.Equal(3, trainer.CompletedEpochs);
        Assert.Equal(2, stopping.StoppedAtCheck);
        Assert.Equal(0, stopping.BestCheck);
        Assert.Equal(MonitorMode.Min, stopping.ResolvedMode);
        // The accuracy metric says higher is better.
        Assert.Equal(MonitorMode.Max, byAccuracy.ResolvedMode);
    }

    [Fact]
    public void Checks_every_N_batches_record_each_outputs_keys_at_those_steps()
    {
        using var train = TwoHeadsData(16, seed: 26);
        using var model = new TwoHeads(seed: 27);
        var history = NewTrainer(model, new TrainerOptions { Epochs = 2, BatchSize = 4, Seed = 1, CheckEveryBatches = 3 }).Fit(train);

        // 8 steps: checks after steps 3 and 6, none left over at the end of epoch 2 (steps 7 and 8 wait for the next check).
        Assert.Equal(new long[] { 3, 6 }, history.Records.Select(r => r.Step));
        Assert.Equal(new[] { 1, 2 }, history.Records.Select(r => r.Epoch));
        Assert.All(history.Records, r => Assert.Contains("box_mae", r.Values.Keys));
    }

    [Fact]
    public void Tensor_counts_stay_flat_over_steps()
    {
        using var train = TwoHeadsData(16, seed: 11);
        using var validation = TwoHeadsData(8, seed: 12);
        using var model = new TwoHeads(seed: 13);
        var trainer = NewTrainer(model, new TrainerOptions { Epochs = 30, BatchSize = 4, Seed = 1 }, lr: 1e-3);
        var live = new LiveTensorProbe();
        trainer.Callbacks.Add(live);

        trainer.Fit(train, validation);

        Assert.Equal(120, trainer.Step);
        // After the first epoch (Adam allocates its moment buffers there) every check sees the same number of live tensors.
        Assert.Single(live.Counts.Skip(1).Distinct());
    }

    [Fact]
    public void A_missing_target_or_input_is_named()
    {
        using var data = TwoHeadsData(6, seed: 14);
        using var model = new TwoHeads(seed: 15);
        var trainer = new GraphTrainer<TwoHeads.Outputs>(model, optim.Adam(model.parameters()), new TrainerOptions { Epochs = 1 })
            .AddOutput("box", o => o.Box, target: "boxes", loss: (o, t) => nn.functional.mse_loss(o, t));
        var error = Assert.Throws<ArgumentException>(() => trainer.Fit(data));
        Assert.Contains("output 'box'", error.Message);
        Assert.Contains("target 'boxes'", error.Message);
        Assert.Contains("training data", error.Message);

        using var noMeta = new GraphData(new Dictionary<string, Tensor> { ["image"] = zeros(6, 2, 6, 6) }, new Dictionary<string, Tensor> { ["boxes"] = zeros(6, 4) });
        var input = Assert.Throws<ArgumentException>(() => trainer.Fit(noMeta));
        Assert.Contains("input 'meta'", input.Message);

        using var wideMeta = new GraphData(new Dictionary<string, Tensor> { ["image"] = zeros(6, 2, 6, 6), ["meta"] = zeros(6, 5) }, new Dictionary<string, Tensor> { ["boxes"] = zeros(6, 4) });
        var shape = Assert.Throws<ShapeMismatchException>(() => trainer.Fit(wideMeta));
        Assert.Contains("input 'meta'", shape.Message);
        Assert.Equal("[N, 3]", shape.Expected);
        Assert.Equal("[6, 5]", shape.Actual);

        var none = new GraphTrainer<TwoHeads.Outputs>(model, optim.Adam(model.parameters()));
        Assert.Throws<InvalidOperationException>(() => none.Fit(data));
    }

    [Fact]
    public void A_target_that_does_not_fit_its_output_is_named_with_both_shapes()
    {
        using var narrow = TwoHeadsData(6, seed: 16, boxWidth: 3);
        using var model = new TwoHeads(seed: 17);
        var error = Assert.Throws<ArgumentException>(() => NewTrainer(model, new TrainerOptions { Epochs = 1 }).Fit(narrow));
        Assert.Contains("output 'box' [2, 4]", error.Message);
        Assert.Contains("target 'box' [2, 3]", error.Message);

        // Class indices outside the 5 classes: the loss fails on the probe batch, named.
        using var data = TwoHeadsData(6, seed: 18);
        using var bad = new GraphData(data.Inputs.ToDictionary(p => p.Key, p => p.Value.clone()),
            new Dictionary<string, Tensor> { ["digit"] = full(6, 7L), ["box"] = data.Targets["box"].clone() });
        var labels = Assert.Throws<ArgumentException>(() => NewTrainer(model, new TrainerOptions { Epochs = 1 }).Fit(data, bad));
        Assert.Contains("output 'class'", labels.Message);
        Assert.Contains("validation data", labels.Message);
    }

    [Fact]
    public void Rows_stay_aligned_across_inputs_and_targets_when_shuffled()
    {
        static (Tensor Image, Tensor Meta, Tensor Y) Make()
        {
            var generator = new Generator(19);
            Tensor image = randn(new long[] { 64, 1, 4, 4 }, generator: generator);
            Tensor meta = randn(new long[] { 64, 4 }, generator: generator);
            return (image, meta, (image.sum(new long[] { 1, 2, 3 }) + 2 * meta.sum(new long[] { 1 })).unsqueeze(1));
        }

        double Fit(bool misalign)
        {
            using var scope = NewDisposeScope();
            var (image, meta, y) = Make();
            // The control: meta rows shifted by one, so no linear unit can fit the target.
            if (misalign) meta = meta.roll(1, 0);
            using var data = new GraphData(new Dictionary<string, Tensor> { ["image"] = image, ["meta"] = meta }, new Dictionary<string, Tensor> { ["y"] = y });
            using var model = new LinearPair(seed: 20);
            var trainer = new GraphTrainer<Tensor>(model, optim.Adam(model.parameters(), lr: 0.05), new TrainerOptions { Epochs = 150, BatchSize = 16, Seed = 21 })
                .AddOutput("sum", o => o, "y", (o, t) => nn.functional.mse_loss(o, t));
            trainer.Fit(data);
            return trainer.Evaluate(data)["sum_loss"];
        }

        double aligned = Fit(misalign: false);
        Assert.True(aligned < 1e-4, $"aligned rows fit to MSE {aligned:g3}");
        double shifted = Fit(misalign: true);
        Assert.True(shifted > 1, $"misaligned rows fit to MSE {shifted:g3}");
    }

    [Fact]
    public void A_non_finite_loss_stops_at_its_step_with_the_weights_as_before()
    {
        using var data = TwoHeadsData(8, seed: 22);
        data.Targets["box"][3, 0] = float.NaN;
        using var model = new TwoHeads(seed: 23);
        var before = model.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        var error = Assert.Throws<NonFiniteLossException>(() => NewTrainer(model, new TrainerOptions { Epochs = 1, BatchSize = 8 }).Fit(data));
        Assert.Equal(1, error.Epoch);
        Assert.Equal(1, error.Step);
        foreach (var (name, tensor) in model.state_dict()) Assert.True((tensor == before[name]).all().item<bool>(), name);
    }

    [Fact]
    public void The_weight_decay_penalty_is_added_and_recorded()
    {
        double Norm(bool addPenalty, out History history)
        {
            using var scope = NewDisposeScope();
            var generator = new Generator(24);
            Tensor image = randn(new long[] { 32, 1, 4, 4 }, generator: generator), meta = randn(new long[] { 32, 4 }, generator: generator);
            using var data = new GraphData(new Dictionary<string, Tensor> { ["image"] = image, ["meta"] = meta },
                new Dictionary<string, Tensor> { ["y"] = (image.sum(new long[] { 1, 2, 3 }) + meta.sum(new long[] { 1 })).unsqueeze(1) });
            using var model = new DecayedPair(seed: 25);
            var trainer = new GraphTrainer<Tensor>(model, optim.Adam(model.parameters(), lr: 0.05), new TrainerOptions { Epochs = 40, BatchSize = 8, Seed = 1, AddPenalty = addPenalty })
                .AddOutput("sum", o => o, "y", (o, t) => nn.functional.mse_loss(o, t));
            history = trainer.Fit(data);
            return model.named_parameters().Single(p => p.name.EndsWith("weight", StringComparison.Ordinal)).parameter.detach().norm().item<float>();
        }

        double decayed = Norm(true, out var withPenalty), plain = Norm(false, out var without);
        Assert.True(withPenalty.Values("penalty")[^1] > 0);
        Assert.DoesNotContain("penalty", without.MetricNames);
        // λ = 1 pulls the weights (all 1 in the unpenalized fit: ‖w‖ = √20) well towards 0.
        Assert.True(decayed < 0.8 * plain, $"‖w‖ {decayed:g3} with the penalty, {plain:g3} without");
    }

    internal sealed class LiveTensorProbe : IGraphTrainingCallback
    {
        public List<long> Counts { get; } = new();
        public void OnCheck(IGraphTrainer trainer, HistoryRecord record) => Counts.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        public void OnTrainEnd(IGraphTrainer trainer) { }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Tests.Models;
using ModelDsl.Tests.Training;
using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Reliability;

/// <summary>Degenerate batches, frozen modules, non-finite values and bad data: each fails loudly or is handled, never silently.</summary>
public class TrainerFaultTests
{
    private static Trainer NewTrainer(nn.Module<Tensor, Tensor> model, TrainerOptions options)
        => new(model, optim.Adam(model.parameters(), lr: 1e-2), options);

    private static Dictionary<string, Tensor> Copy(nn.Module model)
        => model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

    private static void AssertSameState(Dictionary<string, Tensor> expected, nn.Module model)
    {
        foreach (var (name, tensor) in model.state_dict())
            Assert.True(tensor.eq(expected[name]).all().item<bool>(), $"{name} changed");
    }

    [Fact]
    public void A_last_batch_of_one_is_dropped_by_default_for_a_BatchNorm_model_so_validation_stays_finite()
    {
        using var train = SyntheticData.Clusters(129, 8, 3, taskSeed: 1, sampleSeed: 2);
        using var validation = SyntheticData.Clusters(40, 8, 3, taskSeed: 1, sampleSeed: 3);
        var model = new TrainingClassifier(seed: 1);
        var history = NewTrainer(model, new TrainerOptions { Epochs = 3, BatchSize = 128, Seed = 1 }).Fit(train, validation);

        Assert.All(history.Values("val_loss"), v => Assert.True(double.IsFinite(v), $"val_loss {v}"));
        Assert.Equal(3, history.Records[^1].Step); // one batch of 128 per epoch; the 129th sample is left out
        Assert.True(model.modules().OfType<BatchNormalization>().Single().RunningVar.isfinite().all().item<bool>());
    }

    [Fact]
    public void Keeping_a_last_batch_of_one_names_the_BatchNorm_layer_and_the_shape()
    {
        using var train = SyntheticData.Clusters(129, 8, 3, taskSeed: 1, sampleSeed: 2);
        var trainer = NewTrainer(new TrainingClassifier(seed: 1), new TrainerOptions { Epochs = 1, BatchSize = 128, DropLast = false });
        var error = Assert.Throws<ShapeMismatchException>(() => trainer.Fit(train));
        Assert.Contains("'batchnorm'", error.Message);
        Assert.Contains("[1, 16]", error.Message);
    }

    [Theory]
    [InlineData(null, 10, 4, 3)]   // no batch statistics: the short batch of 2 is kept
    [InlineData(true, 10, 4, 2)]   // PyTorch's drop_last
    [InlineData(false, 9, 4, 3)]
    [InlineData(null, 8, 4, 2)]    // nothing incomplete to drop
    public void DropLast_decides_the_batches_per_epoch(bool? dropLast, int n, int batchSize, int expected)
    {
        using var train = SyntheticData.Clusters(n, 20, 2, taskSeed: 1, sampleSeed: 2);
        var history = NewTrainer(new OverfittingNet(seed: 1), new TrainerOptions { Epochs = 1, BatchSize = batchSize, DropLast = dropLast }).Fit(train);
        Assert.Equal(expected, history.Records[^1].Step);
    }

    [Fact]
    public void A_single_sample_for_a_BatchNorm_model_is_refused_at_Fit()
    {
        using var train = SyntheticData.Clusters(1, 8, 3, taskSeed: 1, sampleSeed: 2);
        var error = Assert.Throws<ArgumentException>(() => NewTrainer(new TrainingClassifier(seed: 1), new TrainerOptions { Epochs = 1 }).Fit(train));
        Assert.Contains("leave no batch", error.Message);
    }

    [Fact]
    public void A_frozen_BatchNorm_stays_in_eval_and_keeps_its_statistics_and_parameters_through_Fit()
    {
        using var train = SyntheticData.Clusters(64, 8, 3, taskSeed: 1, sampleSeed: 2);
        using var validation = SyntheticData.Clusters(32, 8, 3, taskSeed: 1, sampleSeed: 3);
        var model = new TrainingClassifier(seed: 1);
        var norm = model.modules().OfType<BatchNormalization>().Single().Freeze();
        var before = Copy(norm);
        Tensor dense = model.parameters().First().detach().clone();

        NewTrainer(model, new TrainerOptions { Epochs = 2, BatchSize = 16 }).Fit(train, validation);

        AssertSameState(before, norm);
        Assert.False(norm.training);
        Assert.True(model.training);
        Assert.False(model.parameters().First().eq(dense).all().item<bool>(), "the rest of the model must train");
    }

    [Fact]
    public void A_NaN_input_stops_training_with_parameters_and_buffers_as_before_the_step()
    {
        using var scope = NewDisposeScope();
        using var clean = SyntheticData.Clusters(32, 8, 3, taskSeed: 1, sampleSeed: 2);
        Tensor inputs = clean.Inputs.clone();
        inputs[5, 0] = tensor(float.NaN);
        using var train = new LabeledData(inputs, clean.Labels.clone());
        var model = new TrainingClassifier(seed: 1);
        var initial = Copy(model);
        // One batch holds every sample, so the failing step is the first and "before the step" is the initial state.
        var trainer = NewTrainer(model, new TrainerOptions { Epochs = 1, BatchSize = 32 });

        var error = Assert.Throws<NonFiniteLossException>(() => trainer.Fit(train));
        Assert.Equal(1, error.Step);
        Assert.Null(error.FirstNonFiniteParameter);
        AssertSameState(initial, model); // running_mean, running_var and num_batches_tracked included
    }

    /// <summary>The data fault matrix: each fault, in the training or the validation set, is named at Fit before any step.</summary>
    public static TheoryData<string, string, bool> DataFaults()
    {
        var faults = new TheoryData<string, string, bool>();
        foreach (bool inValidation in new[] { false, true })
        {
            faults.Add("empty", "has no samples", inValidation);
            faults.Add("label 3 first", "sample 0 has label 3, but the model outputs 3 classes", inValidation);
            faults.Add("label 3 last", "sample 19 has label 3, but the model outputs 3 classes", inValidation);
            faults.Add("label -1 middle", "sample 10 has label -1, but the model outputs 3 classes", inValidation);
            faults.Add("Int32 labels", "labels are Int32; cross-entropy takes Int64", inValidation);
            faults.Add("Float64 labels", "labels are Float64; cross-entropy takes Int64", inValidation);
            faults.Add("5 features", "expected input of shape [N, 8], got [20, 5]", inValidation);
        }
        return faults;
    }

    [Theory]
    [MemberData(nameof(DataFaults))]
    public void Every_data_fault_is_named_at_Fit_and_nothing_trains(string fault, string message, bool inValidation)
    {
        using var scope = NewDisposeScope();
        using var clean = SyntheticData.Clusters(20, 8, 3, taskSeed: 1, sampleSeed: 2);
        Tensor inputs = clean.Inputs.clone(), labels = clean.Labels.clone();
        switch (fault)
        {
            case "empty": inputs = inputs.narrow(0, 0, 0); labels = labels.narrow(0, 0, 0); break;
            case "label 3 first": labels[0] = tensor(3L); break;
            case "label 3 last": labels[19] = tensor(3L); break;
            case "label -1 middle": labels[10] = tensor(-1L); break;
            case "Int32 labels": labels = labels.to(ScalarType.Int32); break;
            case "Float64 labels": labels = labels.to(ScalarType.Float64); break;
            case "5 features": inputs = inputs.narrow(1, 0, 5); break;
        }
        using var faulty = new LabeledData(inputs, labels);
        var model = new TrainingClassifier(seed: 1);
        var before = Copy(model);
        var trainer = NewTrainer(model, new TrainerOptions { Epochs = 1, BatchSize = 8 });

        var error = Assert.ThrowsAny<ArgumentException>(() => inValidation ? trainer.Fit(clean, faulty) : trainer.Fit(faulty));
        Assert.Contains(message, error.Message);
        Assert.Contains(inValidation ? "validation data" : "training data", error.Message);
        Assert.Equal(0, trainer.Step);
        AssertSameState(before, model);
    }

    [Fact]
    public void A_zero_evaluation_batch_is_refused_when_the_trainer_is_built()
    {
        // It used to hang: the evaluation loop advanced by 0 samples.
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => NewTrainer(new TrainingClassifier(seed: 1), new TrainerOptions { EvaluationBatchSize = 0 }));
        Assert.Contains("EvaluationBatchSize must be at least 1", error.Message);
    }

    [Fact]
    public void EarlyStopping_never_takes_a_non_finite_value_as_its_best()
    {
        var model = new TrainingClassifier(seed: 1);
        var trainer = NewTrainer(model, new TrainerOptions());
        using var stopping = new EarlyStopping(patience: 2);
        double[] values = { double.NaN, 1.0, 0.9, double.PositiveInfinity, 0.8 };
        for (int i = 0; i < values.Length; i++)
            stopping.OnCheck(trainer, new HistoryRecord(i + 1, i + 1, new Dictionary<string, double> { ["val_loss"] = values[i] }));
        Assert.Equal(0.8, stopping.BestValue);
        Assert.Equal(4, stopping.BestCheck);
        Assert.Null(stopping.StoppedAtCheck); // improving after the NaN: never stopped
        Assert.Equal(new[] { 0, 3 }, stopping.NonFiniteChecks);
    }

    [Fact]
    public void Restoring_the_best_model_keeps_the_live_tensor_count_flat_over_improvements()
    {
        using var train = SyntheticData.Clusters(64, 8, 3, taskSeed: 1, sampleSeed: 2);
        using var validation = SyntheticData.Clusters(32, 8, 3, taskSeed: 1, sampleSeed: 3);
        var trainer = NewTrainer(new TrainingClassifier(seed: 1), new TrainerOptions { Epochs = 30, BatchSize = 16, Seed = 1 });
        using var stopping = new EarlyStopping(patience: 30, restoreBest: true);
        var live = new List<long>();
        trainer.Callbacks.Add(stopping);
        trainer.Callbacks.Add(new LiveCount(live));

        trainer.Fit(train, validation);

        // Improvements after the first check (which allocates the one snapshot and Adam's state) must allocate nothing.
        Assert.True(stopping.BestCheck >= 10, $"the run should keep improving; best check {stopping.BestCheck}");
        Assert.Single(live.Skip(1).Distinct());
    }

    private sealed class LiveCount(List<long> counts) : ITrainingCallback
    {
        public void OnCheck(Trainer trainer, HistoryRecord record) => counts.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        public void OnTrainEnd(Trainer trainer) { }
    }
}

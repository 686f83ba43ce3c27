using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Tests.Models;
using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Training;

public class TrainerTests
{
    private static Trainer NewTrainer(nn.Module<Tensor, Tensor> model, TrainerOptions options, double lr = 1e-2)
        => new(model, optim.Adam(model.parameters(), lr: lr), options);

    [Fact]
    public void Fit_learns_separable_clusters_and_records_train_and_validation_metrics()
    {
        using var train = SyntheticData.Clusters(200, 8, 3, taskSeed: 1, sampleSeed: 2);
        using var validation = SyntheticData.Clusters(100, 8, 3, taskSeed: 1, sampleSeed: 3);
        var trainer = NewTrainer(new TrainingClassifier(seed: 1), new TrainerOptions { Epochs = 10, BatchSize = 20, Seed = 5 });

        var history = trainer.Fit(train, validation);

        Assert.Equal(10, history.Records.Count);
        Assert.Equal(new[] { "loss", "accuracy", "val_loss", "val_accuracy" }, history.MetricNames);
        Assert.Equal(100, history.Records[^1].Step); // 10 epochs × 200/20 batches
        // Centres N(0, 9) in 8 dimensions are ≈ 8.5 apart against unit noise: the Bayes error is ~0, so 95% is a loose bar.
        Assert.True(history.Records[^1]["val_accuracy"] > 0.95, $"val_accuracy {history.Records[^1]["val_accuracy"]}");
        Assert.True(history.Records[^1]["loss"] < history.Records[0]["loss"]);
    }

    [Fact]
    public void Same_seed_gives_bit_identical_training_and_another_seed_does_not()
    {
        using var train = SyntheticData.Clusters(96, 8, 3, taskSeed: 1, sampleSeed: 2);
        (History History, float[] Weights) Run(long seed)
        {
            var model = new TrainingClassifier(seed: 1);
            var history = NewTrainer(model, new TrainerOptions { Epochs = 3, BatchSize = 16, Seed = seed }).Fit(train);
            return (history, model.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray());
        }

        var a = Run(7);
        var b = Run(7);
        var c = Run(8);
        Assert.Equal(a.History.ToCsv(), b.History.ToCsv());
        Assert.Equal(a.Weights, b.Weights);
        Assert.NotEqual(a.Weights, c.Weights);
    }

    [Fact]
    public void Live_tensor_count_stays_flat_over_2000_training_steps()
    {
        using var train = SyntheticData.Clusters(80, 8, 3, taskSeed: 1, sampleSeed: 2);
        using var validation = SyntheticData.Clusters(40, 8, 3, taskSeed: 1, sampleSeed: 3);
        var live = new LiveTensorProbe();
        var trainer = NewTrainer(new TrainingClassifier(seed: 1), new TrainerOptions { Epochs = 200, BatchSize = 8, Seed = 1 }, lr: 1e-3);
        trainer.Callbacks.Add(live);

        trainer.Fit(train, validation);

        Assert.Equal(2000, trainer.Step); // 200 epochs × 10 batches
        // After the first epoch (Adam allocates its moment buffers there) every check must see the same number of live tensors.
        Assert.Single(live.Counts.Skip(1).Distinct());
    }

    [Fact]
    public void NaN_loss_stops_training_naming_epoch_and_step()
    {
        using var scope = NewDisposeScope();
        using var train = SyntheticData.Clusters(64, 8, 3, taskSeed: 1, sampleSeed: 2);
        train.Inputs[37, 3] = tensor(float.NaN); // lands in some batch of epoch 1
        var trainer = NewTrainer(new TrainingClassifier(seed: 1), new TrainerOptions { Epochs = 2, BatchSize = 64, Seed = 1 });

        var error = Assert.Throws<NonFiniteLossException>(() => trainer.Fit(train));
        Assert.Equal(1, error.Epoch);
        Assert.Equal(1, error.Step);
        Assert.Contains("epoch 1, step 1", error.Message);
    }

    [Fact]
    public void Exploding_parameters_are_named_when_the_loss_goes_infinite()
    {
        using var scope = NewDisposeScope();
        using var train = SyntheticData.Clusters(64, 8, 3, taskSeed: 1, sampleSeed: 2);
        var model = new TrainingClassifier(seed: 1);
        using (no_grad()) model.parameters().First().fill_(float.PositiveInfinity);
        var error = Assert.Throws<NonFiniteLossException>(() => NewTrainer(model, new TrainerOptions { Epochs = 1, BatchSize = 32 }).Fit(train));
        Assert.NotNull(error.FirstNonFiniteParameter);
        Assert.Contains(error.FirstNonFiniteParameter!, error.Message);
    }

    [Fact]
    public void Data_of_the_wrong_shape_names_expected_and_actual_shapes()
    {
        using var train = SyntheticData.Clusters(40, 5, 3, taskSeed: 1, sampleSeed: 2);
        var trainer = NewTrainer(new TrainingClassifier(seed: 1), new TrainerOptions { Epochs = 1 });

        var error = Assert.Throws<ShapeMismatchException>(() => trainer.Fit(train));
        Assert.Equal("[N, 8]", error.Expected);
        Assert.Equal("[40, 5]", error.Actual);
        Assert.Contains("training data", error.Message);
    }

    [Fact]
    public void Penalty_of_a_regularized_model_is_added_to_the_objective_and_recorded()
    {
        using var train = SyntheticData.Clusters(64, 8, 3, taskSeed: 1, sampleSeed: 2);
        float Norm(bool regularized)
        {
            var model = new PenalizedLinear(regularized ? 1.0 : 0.0);
            var history = NewTrainer(model, new TrainerOptions { Epochs = 20, BatchSize = 16, Seed = 1 }).Fit(train);
            Assert.Equal(regularized, history.MetricNames.Contains("penalty") && history.Values("penalty")[^1] > 0);
            return model.WeightNorm();
        }

        // λ/2‖w‖² with λ = 1 pulls the weights far towards 0 compared with the unregularized fit.
        Assert.True(Norm(true) < 0.5f * Norm(false));
    }

    [Fact]
    public void Penalty_is_left_out_when_the_optimizer_decays_instead()
    {
        using var train = SyntheticData.Clusters(64, 8, 3, taskSeed: 1, sampleSeed: 2);
        var model = new PenalizedLinear(1.0);
        var history = NewTrainer(model, new TrainerOptions { Epochs = 2, BatchSize = 16, Seed = 1, AddPenalty = false }).Fit(train);
        Assert.DoesNotContain("penalty", history.MetricNames);
    }

    [Fact]
    public void Max_norm_constraints_hold_after_every_training_step()
    {
        using var train = SyntheticData.Clusters(64, 10, 2, taskSeed: 3, sampleSeed: 4);
        var model = new MaxNormModel(seed: 5);
        var rowNorms = new List<float>();
        var trainer = new Trainer(model, optim.SGD(model.parameters(), learningRate: 0.5), new TrainerOptions { Epochs = 3, BatchSize = 8, Seed = 1, CheckEveryBatches = 1 });
        trainer.Callbacks.Add(new RowNormProbe(model, rowNorms));
        trainer.Fit(train);

        // N(0, 1) rows of 10 weights start near √10 ≈ 3.2; after each step every row is projected to ‖w‖ ≤ 0.5.
        Assert.Equal(3 * 64 / 8, rowNorms.Count);
        Assert.All(rowNorms, n => Assert.True(n <= 0.5f + 1e-6f, $"row norm {n}"));
    }

    private sealed class RowNormProbe(MaxNormModel model, List<float> norms) : ITrainingCallback
    {
        public void OnCheck(Trainer trainer, HistoryRecord record)
        {
            Tensor weight = model.named_parameters().First(p => p.name.EndsWith("weight", StringComparison.Ordinal)).parameter;
            // sum(new long[] { 1 }): a bare sum(1) binds to the ScalarType overload in TorchSharp 0.107.
            norms.Add(weight.detach().pow(2).sum(new long[] { 1 }).sqrt().max().item<float>());
        }

        public void OnTrainEnd(Trainer trainer) { }
    }

    internal sealed class LiveTensorProbe : ITrainingCallback
    {
        public List<long> Counts { get; } = new();
        public void OnCheck(Trainer trainer, HistoryRecord record) => Counts.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        public void OnTrainEnd(Trainer trainer) { }
    }

    private sealed class PenalizedLinear : nn.Module<Tensor, Tensor>, IRegularizedModel
    {
        private readonly TorchSharp.Modules.Linear linear;
        private readonly double lambda;

        public PenalizedLinear(double lambda) : base(nameof(PenalizedLinear))
        {
            this.lambda = lambda;
            manual_seed(3);
            linear = nn.Linear(8, 3);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => linear.forward(input);

        // Returns a plain tensor (the regularized models emitted by the generator may return a scalar too) — λ=0 still reports a penalty of 0.
        public Tensor Penalty() => linear.weight.pow(2).sum() * (lambda / 2);

        public float WeightNorm() => linear.weight.norm().item<float>();
    }
}

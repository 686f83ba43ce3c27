using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// The fit loop: epochs × shuffled mini-batches, the loss (plus <see cref="IRegularizedModel.Penalty"/> when the model
/// declares weight decay), metrics, a check (validation, history, callbacks) per epoch or every N batches.
/// Every training and evaluation step runs in its own dispose scope, so memory stays flat however long it trains.
/// </summary>
public sealed class Trainer
{
    private readonly TrainerOptions options;
    private readonly Func<Tensor, Tensor, Tensor> loss;
    private bool stopRequested;

    /// <summary>Creates a trainer; <paramref name="loss"/> defaults to cross-entropy on logits and integer labels.</summary>
    public Trainer(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, TrainerOptions? options = null, Func<Tensor, Tensor, Tensor>? loss = null)
    {
        Model = model;
        Optimizer = optimizer;
        this.options = options ?? new TrainerOptions();
        this.loss = loss ?? ((output, labels) => nn.functional.cross_entropy(output, labels));
        if (this.options.Epochs < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Trainer: Epochs must be at least 1, got {this.options.Epochs}.");
        if (this.options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Trainer: BatchSize must be at least 1, got {this.options.BatchSize}.");
        if (this.options.CheckEveryBatches is < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Trainer: CheckEveryBatches must be at least 1 (or null for once per epoch), got {this.options.CheckEveryBatches}.");
    }

    /// <summary>The model being trained.</summary>
    public nn.Module<Tensor, Tensor> Model { get; }

    /// <summary>The optimizer.</summary>
    public optim.Optimizer Optimizer { get; }

    /// <summary>The options this trainer runs with.</summary>
    public TrainerOptions Options => options;

    /// <summary>Metrics computed on training and validation batches besides the loss (accuracy by default).</summary>
    public List<IMetric> Metrics { get; } = new() { new Accuracy() };

    /// <summary>Callbacks told about every check (early stopping is one).</summary>
    public List<ITrainingCallback> Callbacks { get; } = new();

    /// <summary>Every check's metrics.</summary>
    public History History { get; private set; } = new();

    /// <summary>Epochs fully trained so far (a resumed trainer continues with the next one).</summary>
    public int CompletedEpochs { get; private set; }

    /// <summary>Optimizer steps taken so far.</summary>
    public long Step { get; private set; }

    /// <summary>Asks the loop to stop after the current batch (callbacks call this).</summary>
    public void Stop() => stopRequested = true;

    /// <summary>Trains up to <see cref="TrainerOptions.Epochs"/> epochs (from <see cref="CompletedEpochs"/>) and returns the history.</summary>
    public History Fit(LabeledData train, LabeledData? validation = null)
    {
        RequireInputShape(train, "training data");
        if (validation is not null) RequireInputShape(validation, "validation data");
        stopRequested = false;
        if (options.Progress is null) FitEpochs(train, validation);
        else options.Progress.Run(() => FitEpochs(train, validation));
        foreach (var callback in Callbacks) callback.OnTrainEnd(this);
        return History;
    }

    /// <summary>Mean loss and metrics over <paramref name="data"/> in eval mode with no grad; the previous mode is restored.</summary>
    public Dictionary<string, double> Evaluate(LabeledData data)
    {
        RequireInputShape(data, "evaluation data");
        bool wasTraining = Model.training;
        Model.eval();
        var means = new WeightedMeans();
        try
        {
            using var noGrad = no_grad();
            for (long start = 0; start < data.Count; start += options.EvaluationBatchSize)
            {
                using var scope = NewDisposeScope();
                long count = Math.Min(options.EvaluationBatchSize, data.Count - start);
                Tensor x = data.Inputs.narrow(0, start, count);
                Tensor y = data.Labels.narrow(0, start, count);
                Tensor output = Model.forward(x);
                means.Add("loss", loss(output, y).ToDouble(), count);
                foreach (var metric in Metrics) means.Add(metric.Name, metric.Compute(output, y), count);
            }
        }
        finally
        {
            Model.train(wasTraining);
        }
        return means.Means();
    }

    /// <summary>Saves model, optimizer, epoch, step and history to <paramref name="path"/> atomically.</summary>
    public void SaveCheckpoint(string path) => Checkpoint.Save(path, Model, Optimizer, CompletedEpochs, Step, History);

    /// <summary>Loads a checkpoint written by <see cref="SaveCheckpoint"/>; the next <see cref="Fit"/> continues after its epoch.</summary>
    public void LoadCheckpoint(string path)
    {
        var state = Checkpoint.Load(path, Model, Optimizer);
        CompletedEpochs = state.Epoch;
        Step = state.Step;
        History = state.History;
    }

    private void FitEpochs(LabeledData train, LabeledData? validation)
    {
        long n = train.Count;
        int batches = (int)((n + options.BatchSize - 1) / options.BatchSize);
        var sinceCheck = new WeightedMeans();
        var finalizers = new FinalizerCollection(options.CollectEverySteps);
        for (int epoch = CompletedEpochs + 1; epoch <= options.Epochs && !stopRequested; epoch++)
        {
            options.Progress?.EpochStarted(epoch, options.Epochs, batches);
            using var shuffle = new Generator(StreamSeed(epoch, 0));
            using var augment = new Generator(StreamSeed(epoch, 2));
            manual_seed(unchecked((long)StreamSeed(epoch, 1)));
            using Tensor order = randperm(n, generator: shuffle);
            for (int batch = 0; batch < batches && !stopRequested; batch++)
            {
                long start = (long)batch * options.BatchSize;
                long count = Math.Min(options.BatchSize, n - start);
                TrainStep(epoch, train, order, start, count, augment, sinceCheck);
                finalizers.AfterStep();
                options.Progress?.BatchFinished(sinceCheck.Mean("loss"));
                if (options.CheckEveryBatches is int every && Step % every == 0) RunCheck(epoch, sinceCheck, validation);
            }
            if (options.CheckEveryBatches is null && !sinceCheck.IsEmpty) RunCheck(epoch, sinceCheck, validation);
            if (stopRequested && options.CheckEveryBatches is not null) break; // the epoch did not finish
            CompletedEpochs = epoch;
            options.Progress?.EpochFinished(epoch);
            if (options.CheckpointPath is not null) SaveCheckpoint(options.CheckpointPath);
        }
    }

    private void TrainStep(int epoch, LabeledData train, Tensor order, long start, long count, Generator augment, WeightedMeans sinceCheck)
    {
        using var scope = NewDisposeScope();
        Model.train();
        Tensor indices = order.narrow(0, start, count);
        Tensor x = train.Inputs.index_select(0, indices);
        Tensor y = train.Labels.index_select(0, indices);
        if (options.Augmentation is not null) x = options.Augmentation.Apply(x, augment);

        Optimizer.zero_grad();
        Tensor output = Model.forward(x);
        Tensor dataLoss = loss(output, y);
        double dataLossValue = dataLoss.ToDouble();
        if (!double.IsFinite(dataLossValue)) throw new NonFiniteLossException(epoch, Step + 1, dataLossValue, FirstNonFiniteParameter());

        if (options.AddPenalty && Model is IWeightDecayModel decayed)
        {
            // J + λR without a second autograd branch: backpropagate J, then add ∇R in place (same gradients). The
            // penalty's value is reported at each check (RunCheck), not computed every step.
            dataLoss.backward();
            decayed.AddPenaltyGradients();
        }
        else if (options.AddPenalty && Model is IRegularizedModel regularized)
        {
            Tensor penalty = regularized.Penalty();
            Tensor objective = dataLoss + penalty;
            double objectiveValue = objective.ToDouble();
            if (!double.IsFinite(objectiveValue)) throw new NonFiniteLossException(epoch, Step + 1, objectiveValue, FirstNonFiniteParameter());
            objective.backward();
        }
        else
        {
            dataLoss.backward();
        }
        Optimizer.step();
        // Max-norm and other constraints project the weights back after every step (Srivastava et al. 2014).
        if (Model is IConstrainedModel constrained) constrained.ApplyConstraints();
        Step++;

        sinceCheck.Add("loss", dataLossValue, count);
        using var noGrad = no_grad();
        foreach (var metric in Metrics) sinceCheck.Add(metric.Name, metric.Compute(output, y), count);
    }

    private void RunCheck(int epoch, WeightedMeans sinceCheck, LabeledData? validation)
    {
        var values = sinceCheck.Means();
        sinceCheck.Clear();
        // The penalty depends on the weights only: its value at the check, one evaluation instead of one per step.
        if (options.AddPenalty && Model is IRegularizedModel regularized)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            values["penalty"] = regularized.Penalty().ToDouble();
        }
        if (validation is not null)
            foreach (var (name, value) in Evaluate(validation)) values["val_" + name] = value;
        var record = new HistoryRecord(epoch, Step, values);
        History.Add(record);
        options.Progress?.Checked(record);
        foreach (var callback in Callbacks) callback.OnCheck(this, record);
    }

    // Each epoch gets its own streams derived from (Seed, epoch, stream), so shuffling, dropout and augmentation of
    // epoch e do not depend on what ran before it: that is what makes a resumed run bit-identical.
    private ulong StreamSeed(int epoch, int stream)
        => unchecked((ulong)options.Seed * 0x9E3779B97F4A7C15UL + (ulong)epoch * 0xBF58476D1CE4E5B9UL + (ulong)stream * 0x94D049BB133111EBUL) >> 1;

    private string? FirstNonFiniteParameter()
    {
        using var scope = NewDisposeScope();
        foreach (var (name, parameter) in Model.named_parameters())
            if (!parameter.isfinite().all().item<bool>()) return name;
        return null;
    }

    private void RequireInputShape(LabeledData data, string what)
    {
        if (Model is not IGeneratedModel generated) return;
        long[] actual = data.Inputs.shape;
        var expected = generated.InputShape;
        if (actual.Length != expected.Count + 1 || !actual.Skip(1).SequenceEqual(expected))
        {
            throw new ShapeMismatchException(
                $"{Model.GetName()} ({what})",
                "[N, " + string.Join(", ", expected) + "]",
                "[" + string.Join(", ", actual) + "]");
        }
    }
}

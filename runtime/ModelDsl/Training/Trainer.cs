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
    private readonly bool crossEntropy;
    private readonly WeightedMeans sinceCheck = new();
    private bool stopRequested;
    private long recomputedAtCheck, skippedAtCheck;

    /// <summary>Creates a trainer; <paramref name="loss"/> defaults to cross-entropy on logits and integer labels.</summary>
    public Trainer(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, TrainerOptions? options = null, Func<Tensor, Tensor, Tensor>? loss = null)
    {
        Model = model;
        Optimizer = optimizer;
        this.options = options ?? new TrainerOptions();
        this.loss = loss ?? ((output, labels) => nn.functional.cross_entropy(output, labels));
        crossEntropy = loss is null;
        if (this.options.Epochs < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Trainer: Epochs must be at least 1, got {this.options.Epochs}.");
        if (this.options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Trainer: BatchSize must be at least 1, got {this.options.BatchSize}.");
        if (this.options.EvaluationBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Trainer: EvaluationBatchSize must be at least 1, got {this.options.EvaluationBatchSize}.");
        if (this.options.MaxSkippedSteps < 0) throw new ArgumentOutOfRangeException(nameof(options), $"Trainer: MaxSkippedSteps must be at least 0, got {this.options.MaxSkippedSteps}.");
        if (this.options.CheckEveryBatches is < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Trainer: CheckEveryBatches must be at least 1 (or null for once per epoch), got {this.options.CheckEveryBatches}.");
        if (this.options.NumWorkers is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options),
                $"Trainer: NumWorkers must be 0 (batches prepared on the training thread), 1 (on one worker thread) or null (automatic), got {this.options.NumWorkers}; "
                + "more workers would have to split one augmentation stream, which the Trainer does not do.");
        }
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

    /// <summary>Training steps (batches) run so far, including any skipped for a non-finite gradient.</summary>
    public long Step { get; private set; }

    /// <summary>Epochs whose batches a worker thread prepared (<see cref="TrainerOptions.NumWorkers"/> = 1), for tests.</summary>
    internal int PrefetchWorkers { get; private set; }

    /// <summary>Tensors the worker threads made and did not free, summed over their epochs (0 when each freed all it made), for tests.</summary>
    internal long PrefetchWorkerLiveTensors { get; private set; }

    /// <summary>Asks the loop to stop after the current batch (callbacks call this).</summary>
    public void Stop() => stopRequested = true;

    /// <summary>Trains up to <see cref="TrainerOptions.Epochs"/> epochs (from <see cref="CompletedEpochs"/>) and returns the history.</summary>
    /// <exception cref="ArgumentException">
    /// Either data set is empty, has inputs of another shape than the model's, or (with the default cross-entropy loss)
    /// labels that are not Int64 class indices of the model's classes: the message names the sample, label and class count.
    /// </exception>
    public History Fit(LabeledData train, LabeledData? validation = null)
    {
        RequireData(train, "training data");
        if (validation is not null) RequireData(validation, "validation data");
        stopRequested = false;
        FitRun.Execute("Trainer", Model, options, () => FitEpochs(train, validation));
        foreach (var callback in Callbacks) callback.OnTrainEnd(this);
        return History;
    }

    /// <summary>Mean loss and metrics over <paramref name="data"/> in eval mode with no grad; the previous mode is restored.</summary>
    public Dictionary<string, double> Evaluate(LabeledData data)
    {
        RequireData(data, "evaluation data");
        return EvaluateChecked(data);
    }

    /// <summary>
    /// Saves model, optimizer, epoch, step, history, the metrics accumulated since the last check and the state of every
    /// <see cref="ICheckpointedCallback"/> (early stopping) to <paramref name="path"/> atomically.
    /// </summary>
    public void SaveCheckpoint(string path)
        => FitCheckpoint.Save(path, Model, Optimizer, CompletedEpochs, Step, History, sinceCheck,
            Callbacks, c => c is ICheckpointedCallback stateful ? writer => stateful.SaveState(writer, this) : null);

    /// <summary>
    /// Loads a checkpoint written by <see cref="SaveCheckpoint"/>, all or nothing; the next <see cref="Fit"/> continues after its
    /// epoch exactly as the uninterrupted run would, provided the callbacks are the same (each stateful callback gets the state
    /// saved from the callback at the same position; one the checkpoint lacks starts afresh).
    /// </summary>
    public void LoadCheckpoint(string path)
    {
        var state = FitCheckpoint.Load(path, Model, Optimizer, sinceCheck,
            Callbacks, c => c is ICheckpointedCallback stateful ? reader => stateful.LoadState(reader, this) : null);
        CompletedEpochs = state.Epoch;
        Step = state.Step;
        History = state.History;
    }

    private void FitEpochs(LabeledData train, LabeledData? validation)
    {
        Model.TrainExceptFrozen();
        (recomputedAtCheck, skippedAtCheck) = (0, 0);
        long n = train.Count;
        int batches = Batches(n, options.BatchSize, options.DropLast, Model);
        using var step = new TrainingStep(Model, Optimizer, loss, options.AddPenalty, options.CollectEverySteps, options.MaxSkippedSteps) { Autocast = options.Autocast };
        var (workers, why) = BatchPrefetcher.Choose(options.NumWorkers, options.Augmentation is not null, get_num_threads(), Environment.ProcessorCount);
        if (why is not null) options.Progress?.Note(workers == 0 ? $"Trainer: batches prepared on the training thread ({why})." : $"Trainer: batches prepared on {workers} worker thread ({why}).");
        for (int epoch = CompletedEpochs + 1; epoch <= options.Epochs && !stopRequested; epoch++)
        {
            options.Progress?.EpochStarted(epoch, options.Epochs, batches);
            using var shuffle = new Generator(StreamSeed(epoch, 0));
            using var augment = new Generator(StreamSeed(epoch, 2));
            manual_seed(unchecked((long)StreamSeed(epoch, 1)));
            using Tensor order = randperm(n, generator: shuffle);
            Func<int, (Tensor X, Tensor Y)> prepare = batch => Batch(train, order, batch, augment);
            // The worker (if any) uses order and augment: it ends, and frees its batches, before they are disposed.
            var prefetcher = workers == 0 ? null : new BatchPrefetcher(epoch, batches, prepare);
            try
            {
                for (int batch = 0; batch < batches && !stopRequested; batch++)
                {
                    TrainStep(step, epoch, batch, prefetcher, prepare, sinceCheck);
                    options.Progress?.BatchFinished(sinceCheck.Mean("loss"));
                    if (options.CheckEveryBatches is int every && Step % every == 0) RunCheck(epoch, sinceCheck, validation, step);
                }
            }
            finally
            {
                if (prefetcher is not null) EndPrefetch(prefetcher);
            }
            if (options.CheckEveryBatches is null && !sinceCheck.IsEmpty) RunCheck(epoch, sinceCheck, validation, step);
            if (stopRequested && options.CheckEveryBatches is not null) break; // the epoch did not finish
            CompletedEpochs = epoch;
            options.Progress?.EpochFinished(epoch);
            if (options.CheckpointPath is not null) SaveCheckpoint(options.CheckpointPath);
        }
    }

    private void EndPrefetch(BatchPrefetcher prefetcher)
    {
        prefetcher.Dispose();
        PrefetchWorkers++;
        PrefetchWorkerLiveTensors += prefetcher.WorkerLiveTensors;
    }

    // Batch k of the epoch: from the worker when there is one, else made here (in this step's dispose scope).
    private void TrainStep(TrainingStep step, int epoch, int batch, BatchPrefetcher? prefetcher, Func<int, (Tensor X, Tensor Y)> prepare, WeightedMeans sinceCheck)
    {
        using var scope = NewDisposeScope();
        using var lease = prefetcher?.Take();
        var (x, y) = lease is not null ? (lease.X, lease.Y) : PrepareHere(epoch, batch, prepare);
        long count = y.shape[0];

        var (output, dataLoss, _) = step.Run(x, y, epoch, Step + 1);
        Step++;

        sinceCheck.Add("loss", dataLoss, count);
        using var noGrad = no_grad();
        foreach (var metric in Metrics) sinceCheck.Add(metric.Name, metric.Compute(output, y), count);
    }

    private static (Tensor X, Tensor Y) PrepareHere(int epoch, int batch, Func<int, (Tensor X, Tensor Y)> prepare)
    {
        try
        {
            return prepare(batch);
        }
        catch (Exception e)
        {
            throw new BatchPreparationException(epoch, batch + 1, e);
        }
    }

    // The samples of batch k in the epoch's shuffled order, augmented; the same on the training thread and on the worker.
    private (Tensor X, Tensor Y) Batch(LabeledData train, Tensor order, int batch, Generator augment)
    {
        long start = (long)batch * options.BatchSize;
        Tensor indices = order.narrow(0, start, Math.Min(options.BatchSize, train.Count - start));
        Tensor x = train.Inputs.index_select(0, indices);
        Tensor y = train.Labels.index_select(0, indices);
        return (options.Augmentation is null ? x : options.Augmentation.Apply(x, augment), y);
    }

    private void RunCheck(int epoch, WeightedMeans sinceCheck, LabeledData? validation, TrainingStep step)
    {
        var values = FitRun.CheckValues("Trainer", sinceCheck, step, ref recomputedAtCheck, ref skippedAtCheck, Model, options);
        if (validation is not null)
            foreach (var (name, value) in EvaluateChecked(validation)) values["val_" + name] = value;
        var record = new HistoryRecord(epoch, Step, values);
        History.Add(record);
        options.Progress?.Checked(record);
        foreach (var callback in Callbacks) callback.OnCheck(this, record);
        Model.TrainExceptFrozen(); // whatever a callback did to the modes, training continues as it started
    }

    // Eval mode per module (so frozen modules stay as they are) and no grad, restored afterwards.
    private Dictionary<string, double> EvaluateChecked(LabeledData data)
    {
        var means = new WeightedMeans();
        using (Model.Evaluating())
        {
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
        return means.Means();
    }

    /// <summary>
    /// Batches per epoch. <paramref name="dropLast"/> true drops an incomplete last batch (PyTorch's drop_last); null (the
    /// default) drops it only when it would hold a single sample and the model computes batch statistics in training, where
    /// one sample has no variance.
    /// </summary>
    internal static int Batches(long n, int batchSize, bool? dropLast, nn.Module model)
    {
        long full = n / batchSize, remainder = n % batchSize;
        bool drop = remainder > 0 && (dropLast ?? (remainder == 1 && HasBatchStatistics(model)));
        long batches = drop || remainder == 0 ? full : full + 1;
        if (batches == 0)
        {
            throw new ArgumentException(
                $"{n} training sample(s) with BatchSize {batchSize} leave no batch once the incomplete last batch is dropped "
                + (dropLast == true ? "(DropLast = true)." : "(the model's BatchNorm needs at least 2 samples per batch in training)."));
        }
        return (int)batches;
    }

    /// <summary>Whether a module of <paramref name="model"/> normalizes with batch statistics in training mode (BatchNorm not frozen).</summary>
    internal static bool HasBatchStatistics(nn.Module model)
        => Kinds.LayerKinds.HasBatchStatistics(model);

    // Each epoch gets its own streams derived from (Seed, epoch, stream): see FitRun.StreamSeed.
    private ulong StreamSeed(int epoch, int stream) => FitRun.StreamSeed(options.Seed, epoch, stream);

    private void RequireData(LabeledData data, string what)
    {
        if (data.Count == 0)
            throw new ArgumentException($"Trainer: the {what} has no samples" + (what == "validation data" ? "; pass null to train without validation." : "."));
        RequireInputShape(data, what);
        if (crossEntropy) RequireClassLabels(data, what);
    }

    // Cross-entropy takes Int64 class indices in [0, C); libtorch would fail mid-epoch with "Target 10 is out of bounds".
    private void RequireClassLabels(LabeledData data, string what)
    {
        Tensor labels = data.Labels;
        if (labels.dtype != ScalarType.Int64)
        {
            throw new ArgumentException(
                $"Trainer: the {what} labels are {labels.dtype}; cross-entropy takes Int64 class indices (labels.to(ScalarType.Int64)), or pass the Trainer a loss for other targets.");
        }
        using var scope = NewDisposeScope();
        long classes;
        using (Model.Evaluating()) classes = Model.forward(data.Inputs.narrow(0, 0, 1)).shape[^1];
        Tensor outside = labels.lt(0).logical_or(labels.ge(classes));
        if (!outside.any().item<bool>()) return;
        long index = outside.nonzero()[0, 0].item<long>();
        throw new ArgumentException(
            $"Trainer: {what} sample {index} has label {labels[index].item<long>()}, but the model outputs {classes} classes (labels 0 to {classes - 1}).");
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
                ShapeMismatchException.Format(actual));
        }
    }
}

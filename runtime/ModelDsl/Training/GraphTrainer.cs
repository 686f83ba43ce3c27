using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Augmentation;
using ModelDsl.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// The fit loop of the <see cref="Trainer"/> for a graph model with several inputs and/or outputs (Keras's
/// <c>compile(loss={…}, loss_weights={…}, metrics={…})</c>): batches of <see cref="GraphData"/> rows feed the model's
/// <c>[Input]</c>s by name, and each output declared with <see cref="AddOutput"/> is selected from the forward's result,
/// compared with a target by its own loss and weight, and measured by its own metrics. The model is trained on
/// loss = Σᵢ wᵢ·lossᵢ (plus <see cref="IRegularizedModel.Penalty"/> when the model declares weight decay).
/// </summary>
/// <remarks>
/// History keys, as Keras names them: <c>loss</c> (the weighted total, without the penalty), <c>{output}_loss</c>,
/// <c>{output}_{metric}</c> (e.g. <c>class_accuracy</c>), <c>penalty</c>, and the same with <c>val_</c> for validation.
/// Options, shuffling and seeds, progress, checks every N batches, callbacks (<see cref="EarlyStopping"/>), the
/// non-finite loss and gradient guard, the dispose scope per step and checkpoints (<see cref="SaveCheckpoint"/>,
/// <see cref="LoadCheckpoint"/>, <see cref="TrainerOptions.CheckpointPath"/>: a resumed run continues bit-identically)
/// are the <see cref="Trainer"/>'s. Augmentation names the input it transforms (<see cref="Augment"/>);
/// <see cref="TrainerOptions.Augmentation"/>, which cannot say which input, is refused.
/// </remarks>
/// <typeparam name="TOutput">The model's forward result: <c>Tensor</c> for one output, or its generated <c>Outputs</c> record.</typeparam>
public sealed class GraphTrainer<TOutput> : IGraphTrainer
{
    private readonly TrainerOptions options;
    private readonly IGraphModel<TOutput> graphModel;
    private readonly List<GraphTrainerOutput<TOutput>> outputs = new();
    private readonly Dictionary<string, IAugmentation> augmentations = new();
    private readonly WeightedMeans sinceCheck = new();
    private bool stopRequested;
    private long recomputedAtCheck, skippedAtCheck;

    /// <summary>Creates a trainer for <paramref name="model"/>, a generated graph model (an <c>nn.Module</c>).</summary>
    /// <exception cref="ArgumentException">The model is not an <c>nn.Module</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (as for the <see cref="Trainer"/>), Augmentation is set (use <see cref="Augment"/>), or NumWorkers is not 0 or null.</exception>
    public GraphTrainer(IGraphModel<TOutput> model, optim.Optimizer optimizer, TrainerOptions? options = null)
    {
        graphModel = model;
        Model = model as nn.Module ?? throw new ArgumentException($"GraphTrainer: the model {model.GetType().Name} is not an nn.Module.", nameof(model));
        Optimizer = optimizer;
        this.options = options ?? new TrainerOptions();
        var o = this.options;
        if (o.Epochs < 1) throw new ArgumentOutOfRangeException(nameof(options), $"GraphTrainer: Epochs must be at least 1, got {o.Epochs}.");
        if (o.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), $"GraphTrainer: BatchSize must be at least 1, got {o.BatchSize}.");
        if (o.EvaluationBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), $"GraphTrainer: EvaluationBatchSize must be at least 1, got {o.EvaluationBatchSize}.");
        if (o.MaxSkippedSteps < 0) throw new ArgumentOutOfRangeException(nameof(options), $"GraphTrainer: MaxSkippedSteps must be at least 0, got {o.MaxSkippedSteps}.");
        if (o.CheckEveryBatches is < 1) throw new ArgumentOutOfRangeException(nameof(options), $"GraphTrainer: CheckEveryBatches must be at least 1 (or null for once per epoch), got {o.CheckEveryBatches}.");
        if (o.Augmentation is not null)
            throw new ArgumentOutOfRangeException(nameof(options), "GraphTrainer: TrainerOptions.Augmentation cannot say which of the model's inputs it transforms; name the input with trainer.Augment(\"input\", augmentation) instead.");
        if (o.NumWorkers is not (null or 0))
            throw new ArgumentOutOfRangeException(nameof(options), $"GraphTrainer: batches are prepared on the training thread; TrainerOptions.NumWorkers must be 0 or null, got {o.NumWorkers} (a worker thread is the Trainer's only).");
    }

    /// <summary>The model being trained.</summary>
    public nn.Module Model { get; }

    /// <summary>The optimizer.</summary>
    public optim.Optimizer Optimizer { get; }

    /// <summary>The options this trainer runs with.</summary>
    public TrainerOptions Options => options;

    /// <summary>The outputs trained, in the order <see cref="AddOutput"/> declared them.</summary>
    public IReadOnlyList<GraphTrainerOutput<TOutput>> Outputs => outputs;

    /// <summary>The augmentation of each augmented input, by the input's name (<see cref="Augment"/>).</summary>
    public IReadOnlyDictionary<string, IAugmentation> Augmentations => augmentations;

    /// <summary>Callbacks told about every check (<see cref="EarlyStopping"/> is one).</summary>
    public List<IGraphTrainingCallback> Callbacks { get; } = new();

    /// <summary>Every check's metrics.</summary>
    public History History { get; private set; } = new();

    /// <summary>Epochs fully trained so far (a resumed trainer continues with the next one).</summary>
    public int CompletedEpochs { get; private set; }

    /// <summary>Training steps (batches) run so far, including any skipped for a non-finite gradient.</summary>
    public long Step { get; private set; }

    /// <inheritdoc/>
    public void Stop() => stopRequested = true;

    /// <summary>
    /// Trains one more output: <paramref name="select"/> picks it from the forward's result (e.g. <c>o =&gt; o.Class</c>),
    /// <paramref name="loss"/>(output, target) gives its batch mean against the data's target <paramref name="target"/>,
    /// and the total loss adds it times <paramref name="weight"/>. History keys are <c>{name}_loss</c> and
    /// <c>{name}_{metric.Name}</c>. Returns this trainer, so outputs chain.
    /// </summary>
    /// <param name="name">The output's name in the history and in messages (e.g. <c>class</c>).</param>
    /// <param name="select">The output tensor [B, …] from the forward's result.</param>
    /// <param name="target">The name of the target in <see cref="GraphData.Targets"/>.</param>
    /// <param name="loss">A scalar batch mean, e.g. <c>(o, t) =&gt; nn.functional.cross_entropy(o, t)</c> or <c>mse_loss</c>.</param>
    /// <param name="weight">The loss weight wᵢ ≥ 0 (Keras's loss_weights); 1 by default.</param>
    /// <param name="metrics">Metrics of this output (batch means, averaged over samples), e.g. <see cref="Accuracy"/>.</param>
    /// <exception cref="ArgumentException">The name is empty, used twice or starts with <c>val_</c>; the weight is negative or not finite; two metrics share a name.</exception>
    public GraphTrainer<TOutput> AddOutput(string name, Func<TOutput, Tensor> select, string target, Func<Tensor, Tensor, Tensor> loss, double weight = 1.0, params IMetric[] metrics)
    {
        if (string.IsNullOrWhiteSpace(name) || name.StartsWith("val_", StringComparison.Ordinal))
            throw new ArgumentException($"GraphTrainer: output name '{name}' must be non-empty and not start with val_.", nameof(name));
        if (outputs.Any(o => o.Name == name)) throw new ArgumentException($"GraphTrainer: output '{name}' is declared twice.", nameof(name));
        if (!double.IsFinite(weight) || weight < 0) throw new ArgumentException($"GraphTrainer: output '{name}' has weight {weight}; a loss weight is finite and ≥ 0.", nameof(weight));
        string? repeated = metrics.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (repeated is not null) throw new ArgumentException($"GraphTrainer: output '{name}' has two metrics named '{repeated}'.", nameof(metrics));
        outputs.Add(new GraphTrainerOutput<TOutput>(name, select, target, loss, weight, metrics));
        return this;
    }

    /// <summary>
    /// Augments the model's input <paramref name="input"/> in training batches (never in evaluation or validation), drawing
    /// from a generator of its own per epoch seeded from (<see cref="TrainerOptions.Seed"/>, epoch, the input's position), so
    /// each input's draws depend neither on the other inputs nor on earlier epochs: runs are reproducible, and resumable
    /// from a checkpoint. The other inputs reach the model as the data holds them. Returns this trainer, so calls chain.
    /// </summary>
    /// <remarks>
    /// Only the input is transformed: a target derived from it (a box or keypoints of the image, a mask) is not re-derived,
    /// so augment such an input only with transforms that keep its targets valid (noise, brightness and contrast), not with
    /// shifts, flips or crops.
    /// </remarks>
    /// <param name="input">The name of one of the model's <c>[Input]</c>s.</param>
    /// <param name="augmentation">The transform of a batch of that input (<see cref="AugmentationPresets"/>, or several with <see cref="Compose"/>).</param>
    /// <exception cref="ArgumentException">The model has no input of that name (the message lists its inputs), or the input is augmented already.</exception>
    public GraphTrainer<TOutput> Augment(string input, IAugmentation augmentation)
    {
        if (!InputNames.Contains(input))
            throw new ArgumentException($"GraphTrainer: Augment names input '{input}', which the model {Model.GetName()} lacks (its inputs: {string.Join(", ", InputNames)}).", nameof(input));
        if (augmentations.ContainsKey(input))
            throw new ArgumentException($"GraphTrainer: input '{input}' is augmented already; combine its augmentations with Compose.", nameof(input));
        augmentations[input] = augmentation;
        return this;
    }

    /// <inheritdoc/>
    public bool? HigherIsBetter(string metricKey)
    {
        foreach (var output in outputs)
            foreach (var metric in output.Metrics)
                if (metricKey == $"{output.Name}_{metric.Name}") return metric.HigherIsBetter;
        return null;
    }

    /// <summary>Trains up to <see cref="TrainerOptions.Epochs"/> epochs and returns the history.</summary>
    /// <exception cref="InvalidOperationException">No output was declared with <see cref="AddOutput"/>.</exception>
    /// <exception cref="ArgumentException">
    /// Either data set is empty, lacks an input of the model or a target of an output, has an input of another shape than
    /// the model's, or a target that does not fit its output (a floating target of another shape, or a loss that fails on
    /// it): the message names the input, or the output and its target, with the shapes.
    /// </exception>
    public History Fit(GraphData train, GraphData? validation = null)
    {
        RequireData(train, "training data");
        if (validation is not null) RequireData(validation, "validation data");
        stopRequested = false;
        FitRun.Execute("GraphTrainer", Model, options, () => FitEpochs(train, validation));
        foreach (var callback in Callbacks) callback.OnTrainEnd(this);
        return History;
    }

    /// <summary>The weighted loss, each output's loss and metrics over <paramref name="data"/> in eval mode with no grad.</summary>
    /// <exception cref="ArgumentException">As for <see cref="Fit"/>.</exception>
    public Dictionary<string, double> Evaluate(GraphData data)
    {
        RequireData(data, "evaluation data");
        return EvaluateChecked(data);
    }

    /// <summary>
    /// Saves model, optimizer, epoch, step, history, the metrics accumulated since the last check and the state of every
    /// <see cref="ICheckpointedGraphCallback"/> (early stopping) to <paramref name="path"/> atomically, as the
    /// <see cref="Trainer"/> does.
    /// </summary>
    public void SaveCheckpoint(string path)
        => FitCheckpoint.Save(path, Model, Optimizer, CompletedEpochs, Step, History, sinceCheck,
            Callbacks, c => c is ICheckpointedGraphCallback stateful ? writer => stateful.SaveState(writer, this) : null);

    /// <summary>
    /// Loads a checkpoint written by <see cref="SaveCheckpoint"/>, all or nothing; the next <see cref="Fit"/> continues after
    /// its epoch exactly as the uninterrupted run would, provided the outputs, augmentations and callbacks are the same (each
    /// stateful callback gets the state saved from the callback at the same position; one the checkpoint lacks starts afresh).
    /// </summary>
    /// <exception cref="CheckpointMismatchException">The checkpoint is another model's (keys, shapes or dtypes listed); nothing was changed.</exception>
    public void LoadCheckpoint(string path)
    {
        var state = FitCheckpoint.Load(path, Model, Optimizer, sinceCheck,
            Callbacks, c => c is ICheckpointedGraphCallback stateful ? reader => stateful.LoadState(reader, this) : null);
        CompletedEpochs = state.Epoch;
        Step = state.Step;
        History = state.History;
    }

    private void FitEpochs(GraphData train, GraphData? validation)
    {
        Model.TrainExceptFrozen();
        (recomputedAtCheck, skippedAtCheck) = (0, 0);
        long n = train.Count;
        int batches = Trainer.Batches(n, options.BatchSize, options.DropLast, Model);
        using var step = new TrainingStep(Model, Optimizer, options.AddPenalty, options.CollectEverySteps, options.MaxSkippedSteps) { Autocast = options.Autocast };
        for (int epoch = CompletedEpochs + 1; epoch <= options.Epochs && !stopRequested; epoch++)
        {
            options.Progress?.EpochStarted(epoch, options.Epochs, batches);
            // The Trainer's seed streams: 0 shuffles, 1 seeds the global generator (dropout), 2 augments (one per input).
            using var shuffle = new Generator(StreamSeed(epoch, 0));
            using var augment = new InputAugmentations(graphModel.Graph.Inputs, augmentations, index => StreamSeed(epoch, 2, index));
            manual_seed(unchecked((long)StreamSeed(epoch, 1)));
            using Tensor order = randperm(n, generator: shuffle);
            for (int batch = 0; batch < batches && !stopRequested; batch++)
            {
                long start = (long)batch * options.BatchSize;
                long count = Math.Min(options.BatchSize, n - start);
                TrainStep(step, epoch, train, order, start, count, augment);
                options.Progress?.BatchFinished(sinceCheck.Mean("loss"));
                if (options.CheckEveryBatches is int every && Step % every == 0) RunCheck(epoch, validation, step);
            }
            if (options.CheckEveryBatches is null && !sinceCheck.IsEmpty) RunCheck(epoch, validation, step);
            if (stopRequested && options.CheckEveryBatches is not null) break; // the epoch did not finish
            CompletedEpochs = epoch;
            options.Progress?.EpochFinished(epoch);
            if (options.CheckpointPath is not null) SaveCheckpoint(options.CheckpointPath);
        }
    }

    private void TrainStep(TrainingStep step, int epoch, GraphData train, Tensor order, long start, long count, InputAugmentations augment)
    {
        using var scope = NewDisposeScope();
        Tensor indices = order.narrow(0, start, count);
        // One permutation for every input and target: row i of each is the same sample.
        var inputs = augment.Apply(InputNames.Select(name => train.Inputs[name].index_select(0, indices)).ToList());
        var targets = outputs.Select(o => train.Targets[o.Target].index_select(0, indices)).ToArray();
        var losses = new Tensor[outputs.Count];
        var (result, total, _) = step.Run(() =>
        {
            TOutput forward = graphModel.Forward(inputs);
            Tensor sum = WeightedLoss(forward, targets, losses);
            return (forward, sum);
        }, epoch, Step + 1);
        Step++;

        sinceCheck.Add("loss", total, count);
        using var noGrad = no_grad();
        for (int i = 0; i < outputs.Count; i++)
        {
            sinceCheck.Add(outputs[i].Name + "_loss", losses[i].ToDouble(), count);
            Tensor output = outputs[i].Select(result);
            foreach (var metric in outputs[i].Metrics) sinceCheck.Add($"{outputs[i].Name}_{metric.Name}", metric.Compute(output, targets[i]), count);
        }
    }

    // Σᵢ wᵢ·lossᵢ; each output's own loss goes into losses[i].
    private Tensor WeightedLoss(TOutput forward, Tensor[] targets, Tensor[] losses)
    {
        Tensor? total = null;
        for (int i = 0; i < outputs.Count; i++)
        {
            losses[i] = outputs[i].Loss(outputs[i].Select(forward), targets[i]);
            Tensor term = losses[i] * outputs[i].Weight;
            total = total is null ? term : total + term;
        }
        return total!;
    }

    private void RunCheck(int epoch, GraphData? validation, TrainingStep step)
    {
        var values = FitRun.CheckValues("GraphTrainer", sinceCheck, step, ref recomputedAtCheck, ref skippedAtCheck, Model, options);
        if (validation is not null)
            foreach (var (name, value) in EvaluateChecked(validation)) values["val_" + name] = value;
        var record = new HistoryRecord(epoch, Step, values);
        History.Add(record);
        options.Progress?.Checked(record);
        foreach (var callback in Callbacks) callback.OnCheck(this, record);
        Model.TrainExceptFrozen();
    }

    private Dictionary<string, double> EvaluateChecked(GraphData data)
    {
        var means = new WeightedMeans();
        using (Model.Evaluating())
        using (no_grad())
        {
            for (long start = 0; start < data.Count; start += options.EvaluationBatchSize)
            {
                using var scope = NewDisposeScope();
                long count = Math.Min(options.EvaluationBatchSize, data.Count - start);
                var inputs = InputNames.Select(name => data.Inputs[name].narrow(0, start, count)).ToList();
                var targets = outputs.Select(o => data.Targets[o.Target].narrow(0, start, count)).ToArray();
                var losses = new Tensor[outputs.Count];
                TOutput forward = graphModel.Forward(inputs);
                means.Add("loss", WeightedLoss(forward, targets, losses).ToDouble(), count);
                for (int i = 0; i < outputs.Count; i++)
                {
                    means.Add(outputs[i].Name + "_loss", losses[i].ToDouble(), count);
                    Tensor output = outputs[i].Select(forward);
                    foreach (var metric in outputs[i].Metrics) means.Add($"{outputs[i].Name}_{metric.Name}", metric.Compute(output, targets[i]), count);
                }
            }
        }
        return means.Means();
    }

    private IEnumerable<string> InputNames => graphModel.Graph.Inputs.Select(i => i.Name);

    private ulong StreamSeed(int epoch, int stream, int index = 0) => FitRun.StreamSeed(options.Seed, epoch, stream, index);

    private void RequireData(GraphData data, string what)
    {
        if (outputs.Count == 0) throw new InvalidOperationException("GraphTrainer: no outputs to train; declare each with AddOutput(name, select, target, loss, weight, metrics).");
        if (data.Count == 0) throw new ArgumentException($"GraphTrainer: the {what} has no samples.");
        foreach (var input in graphModel.Graph.Inputs)
        {
            if (!data.Inputs.TryGetValue(input.Name, out var tensor))
                throw new ArgumentException($"GraphTrainer: the {what} has no input '{input.Name}' (the model's inputs: {string.Join(", ", graphModel.Graph.Inputs.Select(i => i.Name))}; the data's: {string.Join(", ", data.Inputs.Keys)}).");
            if (!tensor.shape.Skip(1).SequenceEqual(input.Shape))
                throw new ShapeMismatchException($"{Model.GetName()} input '{input.Name}' ({what})", "[N, " + string.Join(", ", input.Shape) + "]", ShapeMismatchException.Format(tensor.shape));
        }
        foreach (var output in outputs)
            if (!data.Targets.ContainsKey(output.Target))
                throw new ArgumentException($"GraphTrainer: output '{output.Name}' reads target '{output.Target}', which the {what} lacks (its targets: {string.Join(", ", data.Targets.Keys)}).");
        RequireTargetsFit(data, what);
    }

    // One forward on two samples (one in a set of one) in eval mode: each output against its target, so a target of the
    // wrong shape fails here with names instead of broadcasting silently or failing mid-epoch in libtorch.
    private void RequireTargetsFit(GraphData data, string what)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long count = Math.Min(2, data.Count);
        TOutput forward;
        using (Model.Evaluating()) forward = graphModel.Forward(InputNames.Select(name => data.Inputs[name].narrow(0, 0, count)).ToList());
        foreach (var output in outputs)
        {
            Tensor predicted = output.Select(forward);
            Tensor target = data.Targets[output.Target].narrow(0, 0, count);
            string names = $"GraphTrainer: output '{output.Name}' {ShapeMismatchException.Format(predicted.shape)} and its target '{output.Target}' {ShapeMismatchException.Format(target.shape)} ({target.dtype}) in the {what}";
            if (target.is_floating_point() && !target.shape.SequenceEqual(predicted.shape))
                throw new ArgumentException($"{names} differ in shape; a floating target must have the output's shape (a loss would broadcast them).");
            Tensor value;
            try { value = output.Loss(predicted, target); }
            catch (Exception e) when (e is not OutOfMemoryException) { throw new ArgumentException($"{names} do not fit its loss: {e.Message}", e); }
            if (value.numel() != 1) throw new ArgumentException($"{names}: the loss returned {ShapeMismatchException.Format(value.shape)}, not a scalar.");
        }
    }
}

/// <summary>
/// One epoch's augmentation of a <see cref="GraphTrainer{TOutput}"/>'s training batches: each augmented input with its
/// generator, seeded by the input's position among the model's inputs (the first one's seed is the Trainer's stream).
/// </summary>
internal sealed class InputAugmentations : IDisposable
{
    private readonly (IAugmentation Augmentation, Generator Generator)?[] perInput;

    public InputAugmentations(IReadOnlyList<GraphInput> inputs, IReadOnlyDictionary<string, IAugmentation> augmentations, Func<int, ulong> seed)
        => perInput = inputs.Select((input, index) => augmentations.TryGetValue(input.Name, out var augmentation)
            ? (augmentation, new Generator(seed(index)))
            : ((IAugmentation, Generator)?)null).ToArray();

    /// <summary>The batch's inputs in the model's order, the augmented ones replaced by their transforms.</summary>
    public List<Tensor> Apply(List<Tensor> inputs)
    {
        for (int i = 0; i < perInput.Length; i++)
            if (perInput[i] is { } entry) inputs[i] = entry.Augmentation.Apply(inputs[i], entry.Generator);
        return inputs;
    }

    public void Dispose()
    {
        foreach (var entry in perInput) entry?.Generator.Dispose();
    }
}

/// <summary>One output a <see cref="GraphTrainer{TOutput}"/> trains: see <see cref="GraphTrainer{TOutput}.AddOutput"/>.</summary>
/// <param name="Name">The name in history keys and messages.</param>
/// <param name="Select">Picks the output tensor [B, …] from the forward's result.</param>
/// <param name="Target">The target's name in <see cref="GraphData.Targets"/>.</param>
/// <param name="Loss">The batch mean loss (output, target).</param>
/// <param name="Weight">The loss weight in the total.</param>
/// <param name="Metrics">This output's metrics.</param>
public sealed record GraphTrainerOutput<TOutput>(string Name, Func<TOutput, Tensor> Select, string Target, Func<Tensor, Tensor, Tensor> Loss, double Weight, IReadOnlyList<IMetric> Metrics);

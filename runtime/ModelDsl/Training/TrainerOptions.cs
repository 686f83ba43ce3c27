using ModelDsl.Augmentation;

namespace ModelDsl.Training;

/// <summary>How <see cref="Trainer.Fit"/> runs.</summary>
public sealed class TrainerOptions
{
    /// <summary>Number of passes over the training data.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Samples per mini-batch.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>
    /// Drop an incomplete last batch of each epoch (PyTorch's <c>drop_last</c>). True drops it always, false never. Null (the
    /// default) drops it only when it would hold a single sample and the model has a BatchNorm in training: one sample has
    /// no batch variance (BatchNormalization refuses it; TorchSharp's BatchNorm would write NaN into running_var). With
    /// 129 samples and BatchSize 128, each epoch then runs one batch of 128.
    /// </summary>
    public bool? DropLast { get; init; }

    /// <summary>Samples per evaluation batch (no gradients, so larger is fine).</summary>
    public int EvaluationBatchSize { get; init; } = 1000;

    /// <summary>
    /// Seed of everything random in training: epoch e shuffles with a generator seeded (Seed, e), seeds TorchSharp's
    /// global generator (dropout) with the same pair, and draws augmentations from a third stream; a run is
    /// therefore reproducible, and a run resumed from an epoch checkpoint continues exactly as the uninterrupted one.
    /// </summary>
    public long Seed { get; init; }

    /// <summary>Check (validate, record history, run callbacks) every this many batches; null checks once per epoch.</summary>
    public int? CheckEveryBatches { get; init; }

    /// <summary>
    /// Training-only augmentation applied to each batch's inputs, or null. The Trainer's only: a GraphTrainer names the
    /// input it augments with <see cref="GraphTrainer{TOutput}.Augment"/> and refuses this option.
    /// </summary>
    public IAugmentation? Augmentation { get; init; }

    /// <summary>Where to show progress; null shows none (<c>ProgressReporters.Auto()</c> in the ModelDsl.Extras package picks a bar or plain lines).</summary>
    public IProgressReporter? Progress { get; init; }

    /// <summary>
    /// Add the model's <see cref="IRegularizedModel.Penalty"/> to the loss (default true: the chapter's Ĵ = J + λR).
    /// Set false when the optimizer already decays the same weights (RegularizedOptimizer.AdamW, or SGD/Adam built from
    /// ParameterGroups()) and the groups declare no L1; otherwise L2 would be applied twice (docs/regularization.md).
    /// </summary>
    public bool AddPenalty { get; init; } = true;

    /// <summary>
    /// Run a generation-0 garbage collection every this many training steps (0: never), which frees the native objects
    /// TorchSharp leaves to finalizers before they fragment the native heap (<see cref="FinalizerCollection"/>).
    /// </summary>
    public int CollectEverySteps { get; init; } = FinalizerCollection.DefaultEverySteps;

    /// <summary>
    /// Let <see cref="Trainer.Fit"/> run while another training run in this process overlaps it although one of the models
    /// uses dropout or noise. Those draw from TorchSharp's one global generator, so overlapping runs are not reproducible
    /// from their seeds; by default (false) the run that starts second throws instead of training silently differently.
    /// </summary>
    public bool AllowConcurrentRuns { get; init; }

    /// <summary>
    /// Intra-op threads libtorch uses while <see cref="Trainer.Fit"/> runs (restored afterwards). Null (the default) takes half
    /// the logical processors, or keeps libtorch's count when OMP_NUM_THREADS is set (<see cref="IntraOpThreads"/> says why);
    /// the progress reporter is told the choice. Runs are bit-identical to each other only with the same count.
    /// </summary>
    public int? Threads { get; init; }

    /// <summary>
    /// Threads that prepare training batches (PyTorch DataLoader's <c>num_workers</c>): 0 gathers and augments each batch on
    /// the training thread before its step; 1 does it on one dedicated worker thread per epoch, one batch ahead, so that
    /// batch k + 1 is gathered and augmented while the step runs on batch k. Null (the default) takes 1 when an
    /// <see cref="Augmentation"/> is set and the <see cref="Threads"/> in use leave a logical processor free, else 0; the
    /// progress reporter is told the choice when an augmentation is set or this option is. More than 1 is refused. The
    /// Trainer's only: a GraphTrainer prepares its batches on the training thread and refuses 1.
    /// <para>
    /// Results are bit-identical either way (history, losses, parameters): the worker draws the augmentation from the same
    /// per-epoch generator in the same order, dropout stays on the training thread, and the worker runs with the same
    /// intra-op thread count. What it costs: one thread, which computes with up to <see cref="Threads"/> intra-op threads of
    /// its own while the step computes with as many; up to three batches in memory instead of one; a hand-off per batch
    /// and a thread started per epoch. What it saves: the batch's time off each step, at most (with
    /// <c>AugmentationPresets.Digits()</c> at batch 64 that is 2–4 % of a step of the MNIST CNN, measured 0.97 of the step
    /// time on a quiet 2-core machine and no gain while another process held the second core; a gather alone costs about
    /// 0.2 %, too little to pay for the hand-off, hence the default). An exception while preparing a batch is a
    /// <see cref="BatchPreparationException"/> naming the epoch and batch with either count.
    /// </para>
    /// </summary>
    public int? NumWorkers { get; init; }

    /// <summary>
    /// Consecutive steps with a finite loss but a non-finite gradient that are skipped (the optimizer does not step, buffers
    /// are restored) before <see cref="NonFiniteGradientException"/> is thrown; each is first computed once more without
    /// oneDNN, and taken if that gradient is finite. Skipped and recomputed steps are counted in the history
    /// (<c>skipped_steps</c>, <c>recomputed_steps</c>) at the check after them. Default 5; 0 throws at the first.
    /// </summary>
    public int MaxSkippedSteps { get; init; } = 5;

    /// <summary>
    /// Runs each training step's forward pass and loss under bfloat16 autocast (<see cref="ModelDsl.Autocast"/>, PyTorch's
    /// <c>torch.autocast("cpu", dtype=torch.bfloat16)</c>): convolutions, linear layers and matrix products compute in
    /// bfloat16, losses in float32, and parameters, their gradients and the optimizer stay float32. Validation and
    /// <see cref="Trainer.Evaluate"/> run in float32. Faster on CPUs with bfloat16 instructions (ResNetMnist's step 0.55× on
    /// a Xeon with AMX); results differ from float32 training from the first step on (8 significant bits per rounded
    /// operation). Default: false, or true when the process starts with <c>MODELDSL_AUTOCAST=bf16</c>.
    /// </summary>
    public bool Autocast { get; init; } = ModelDsl.Autocast.RequestedByEnvironment;

    /// <summary>When set, a checkpoint is written (atomically) to this path after every epoch.</summary>
    public string? CheckpointPath { get; init; }
}

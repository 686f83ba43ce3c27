namespace ModelDsl;

/// <summary>How <see cref="BaggingTrainer"/> trains the members of an ensemble.</summary>
public sealed record BaggingOptions
{
    /// <summary>Passes over each member's training set.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Mini-batch size.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>
    /// True: each member trains on its own bootstrap sample (classic bagging). False: every member sees the full data and differs
    /// only by its initialization and shuffling, which the chapter notes is enough for neural networks (5.7).
    /// </summary>
    public bool Bootstrap { get; init; } = true;

    /// <summary>Seed for bootstrap samples and shuffles (member seeds derive from it).</summary>
    public long Seed { get; init; }

    /// <summary>
    /// Train members at the same time on separate threads (one per member) instead of one after another. Members that use
    /// dropout or noise draw from TorchSharp's one global generator, so in parallel they would not be reproducible: that
    /// combination throws unless <see cref="AllowConcurrentRuns"/> is set.
    /// </summary>
    public bool Parallel { get; init; }

    /// <summary>Accept runs that are not reproducible: members with dropout or noise in parallel, or another run overlapping this one.</summary>
    public bool AllowConcurrentRuns { get; init; }

    /// <summary>
    /// Drop each epoch's incomplete last batch, as <see cref="Training.TrainerOptions.DropLast"/>: null (the default) drops it
    /// only when it would hold one sample and the member has a BatchNorm in training.
    /// </summary>
    public bool? DropLast { get; init; }

    /// <summary>
    /// Add the members' weight-decay penalty to the loss (its gradient, for generated [WeightDecay] models), as
    /// <see cref="Training.TrainerOptions.AddPenalty"/>; members' max-norm constraints always apply after each step.
    /// </summary>
    public bool AddPenalty { get; init; } = true;

    /// <summary>
    /// Run a generation-0 garbage collection every this many steps of each member (0: never), as the Trainer does
    /// (<see cref="Training.FinalizerCollection"/>).
    /// </summary>
    public int CollectEverySteps { get; init; } = Training.FinalizerCollection.DefaultEverySteps;

    /// <summary>
    /// Consecutive steps with a non-finite gradient that a member skips before throwing
    /// <see cref="Training.NonFiniteGradientException"/>, as <see cref="Training.TrainerOptions.MaxSkippedSteps"/>.
    /// </summary>
    public int MaxSkippedSteps { get; init; } = 5;

    /// <summary>
    /// Each member's training steps run their forward pass and loss under bfloat16 autocast, on the member's own thread, as
    /// <see cref="Training.TrainerOptions.Autocast"/> (the same default: <c>MODELDSL_AUTOCAST=bf16</c> turns it on).
    /// </summary>
    public bool Autocast { get; init; } = ModelDsl.Autocast.RequestedByEnvironment;
}

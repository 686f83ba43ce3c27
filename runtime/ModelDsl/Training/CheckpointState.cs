using System.Collections.Generic;

namespace ModelDsl.Training;

/// <summary>What a checkpoint holds besides the model's and optimizer's tensors.</summary>
/// <param name="Epoch">Epochs completed when it was written.</param>
/// <param name="Step">Optimizer steps taken.</param>
/// <param name="History">The history up to then.</param>
public sealed record CheckpointState(int Epoch, long Step, History History)
{
    /// <summary>The training loop's own state by name (the Trainer's metric sums since the last check).</summary>
    public IReadOnlyDictionary<string, byte[]> LoopState { get; init; } = new Dictionary<string, byte[]>();

    /// <summary>Each stateful callback's state (<see cref="ICheckpointedCallback"/>) by its key.</summary>
    public IReadOnlyDictionary<string, byte[]> CallbackStates { get; init; } = new Dictionary<string, byte[]>();
}

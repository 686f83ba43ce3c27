namespace ModelDsl.Training;

/// <summary>What a checkpoint holds besides the tensors.</summary>
/// <param name="Epoch">Epochs completed when it was written.</param>
/// <param name="Step">Optimizer steps taken.</param>
/// <param name="History">The history up to then.</param>
public sealed record CheckpointState(int Epoch, long Step, History History);

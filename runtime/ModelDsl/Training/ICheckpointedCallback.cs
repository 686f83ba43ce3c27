using System.IO;

namespace ModelDsl.Training;

/// <summary>
/// A callback whose state goes into the Trainer's checkpoints, so that a resumed run behaves exactly as the uninterrupted
/// one (early stopping's best value, patience count and best weights).
/// </summary>
public interface ICheckpointedCallback : ITrainingCallback
{
    /// <summary>Writes the state.</summary>
    void SaveState(BinaryWriter writer, Trainer trainer);

    /// <summary>Reads what <see cref="SaveState"/> wrote, replacing the current state.</summary>
    void LoadState(BinaryReader reader, Trainer trainer);
}

/// <summary>
/// A <see cref="GraphTrainer{TOutput}"/> callback whose state goes into the graph trainer's checkpoints, as
/// <see cref="ICheckpointedCallback"/> for the <see cref="Trainer"/> (<see cref="EarlyStopping"/> is both).
/// </summary>
public interface ICheckpointedGraphCallback : IGraphTrainingCallback
{
    /// <summary>Writes the state.</summary>
    void SaveState(BinaryWriter writer, IGraphTrainer trainer);

    /// <summary>Reads what <see cref="SaveState"/> wrote, replacing the current state.</summary>
    void LoadState(BinaryReader reader, IGraphTrainer trainer);
}

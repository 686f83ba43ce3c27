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

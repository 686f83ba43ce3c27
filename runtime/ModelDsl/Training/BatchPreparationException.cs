using System;

namespace ModelDsl.Training;

/// <summary>
/// Preparing a training batch (gathering its samples, or <see cref="TrainerOptions.Augmentation"/>) threw; the original
/// exception is the <see cref="Exception.InnerException"/>. The same exception comes whether the batch was prepared on
/// the training thread or on the worker thread (<see cref="TrainerOptions.NumWorkers"/>), at the same batch.
/// </summary>
public sealed class BatchPreparationException : Exception
{
    /// <summary>Describes which batch failed and wraps what it threw.</summary>
    public BatchPreparationException(int epoch, int batch, Exception inner)
        : base($"Trainer: preparing batch {batch} of epoch {epoch} failed ({inner.GetType().Name}: {inner.Message})", inner)
    {
        Epoch = epoch;
        Batch = batch;
    }

    /// <summary>1-based epoch.</summary>
    public int Epoch { get; }

    /// <summary>1-based batch within the epoch.</summary>
    public int Batch { get; }
}

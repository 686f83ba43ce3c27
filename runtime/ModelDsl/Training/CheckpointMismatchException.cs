using System;
using System.Collections.Generic;

namespace ModelDsl.Training;

/// <summary>A checkpoint's tensors do not fit the model it is loaded into.</summary>
public sealed class CheckpointMismatchException : Exception
{
    /// <summary>Lists every mismatch.</summary>
    public CheckpointMismatchException(string path, IReadOnlyList<string> mismatches)
        : base($"Checkpoint {path} does not fit this model (a different architecture?):\n  " + string.Join("\n  ", mismatches))
        => Mismatches = mismatches;

    /// <summary>One line per key: missing, unexpected, or shape checkpoint vs model.</summary>
    public IReadOnlyList<string> Mismatches { get; }
}

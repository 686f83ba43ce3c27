using System;

namespace ModelDsl.Training;

/// <summary>
/// The gradient stayed NaN or infinite for more consecutive steps than <see cref="TrainerOptions.MaxSkippedSteps"/> allows,
/// with a finite loss: each of those steps was skipped (the parameters are those of before the first of them).
/// </summary>
public sealed class NonFiniteGradientException : Exception
{
    /// <summary>Describes where the gradients went non-finite.</summary>
    public NonFiniteGradientException(int epoch, long step, string parameter, int skippedInARow)
        : base($"Gradient of parameter '{parameter}' is non-finite at epoch {epoch}, step {step}, with a finite loss, for "
            + $"{skippedInARow} steps in a row (also without oneDNN where it can be switched off); the steps were skipped and the "
            + "parameters are unchanged. Lower the learning rate, add normalization, or check custom layers for operations with "
            + "infinite derivatives (sqrt or log at 0).")
    {
        Epoch = epoch;
        Step = step;
        Parameter = parameter;
        SkippedInARow = skippedInARow;
    }

    /// <summary>1-based epoch.</summary>
    public int Epoch { get; }

    /// <summary>Step (1-based, counted from the start of training) that gave up.</summary>
    public long Step { get; }

    /// <summary>The first parameter (state_dict name) whose gradient holds a NaN or ∞.</summary>
    public string Parameter { get; }

    /// <summary>How many steps in a row were skipped, this one included.</summary>
    public int SkippedInARow { get; }
}

using System;

namespace ModelDsl.Training;

/// <summary>The training loss became NaN or infinite; training stopped at that step.</summary>
public sealed class NonFiniteLossException : Exception
{
    /// <summary>Describes where the loss went non-finite.</summary>
    public NonFiniteLossException(int epoch, long step, double loss, string? firstNonFiniteParameter)
        : base($"Training loss is {loss} at epoch {epoch}, step {step}"
            + (firstNonFiniteParameter is null ? " (all parameters are still finite: check the inputs, the learning rate or the loss)." : $"; parameter '{firstNonFiniteParameter}' already holds non-finite values (lower the learning rate or add normalization)."))
    {
        Epoch = epoch;
        Step = step;
        Loss = loss;
        FirstNonFiniteParameter = firstNonFiniteParameter;
    }

    /// <summary>1-based epoch.</summary>
    public int Epoch { get; }

    /// <summary>Optimizer step (1-based, counted from the start of training) whose loss was non-finite.</summary>
    public long Step { get; }

    /// <summary>The loss value.</summary>
    public double Loss { get; }

    /// <summary>The first parameter (state_dict name) with a NaN or ∞, or null when all are finite.</summary>
    public string? FirstNonFiniteParameter { get; }
}

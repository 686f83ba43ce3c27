using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// Mean absolute error of a regression output: the mean of |output − target| over all elements of the batch, in the
/// target's units. The output and the target must have the same shape ([B] or [B, …]).
/// </summary>
public sealed class MeanAbsoluteError : IMetric
{
    /// <inheritdoc/>
    public string Name => "mae";

    /// <inheritdoc/>
    public bool HigherIsBetter => false;

    /// <inheritdoc/>
    public double Compute(Tensor output, Tensor labels)
    {
        using var scope = NewDisposeScope();
        return (output - labels).abs().to_type(ScalarType.Float64).mean().item<double>();
    }
}

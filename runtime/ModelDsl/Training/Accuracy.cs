using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>Classification accuracy: the share of samples whose largest logit is the label's.</summary>
public sealed class Accuracy : IMetric
{
    /// <inheritdoc/>
    public string Name => "accuracy";

    /// <inheritdoc/>
    public bool HigherIsBetter => true;

    /// <inheritdoc/>
    public double Compute(Tensor output, Tensor labels)
    {
        using var scope = NewDisposeScope();
        return output.argmax(1).eq(labels).to_type(ScalarType.Float64).mean().item<double>();
    }
}

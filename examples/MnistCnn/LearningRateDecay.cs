using ModelDsl.Training;
using static TorchSharp.torch;

namespace MnistCnnExample;

/// <summary>
/// Multiplies every parameter group's learning rate by <c>factor</c> after each check (exponential decay per epoch).
/// A large step early moves fast; smaller steps later let Adam settle into the minimum instead of rattling around
/// it, which is worth a few tenths of a percent of test accuracy on MNIST.
/// </summary>
public sealed class LearningRateDecay : ITrainingCallback
{
    private readonly optim.Optimizer optimizer;
    private readonly double factor;

    /// <summary>Decays by <paramref name="factor"/> (in (0, 1]) per check.</summary>
    public LearningRateDecay(optim.Optimizer optimizer, double factor)
    {
        this.optimizer = optimizer;
        this.factor = factor;
    }

    /// <inheritdoc/>
    public void OnCheck(Trainer trainer, HistoryRecord record)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate *= factor;
    }

    /// <inheritdoc/>
    public void OnTrainEnd(Trainer trainer) { }
}

using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// Observes a <see cref="GraphTrainer{TOutput}"/> at each check and at the end; may ask it to stop. The graph trainer's
/// counterpart of <see cref="ITrainingCallback"/> (<see cref="EarlyStopping"/> is both).
/// </summary>
public interface IGraphTrainingCallback
{
    /// <summary>Called after each check's record was added to the history.</summary>
    void OnCheck(IGraphTrainer trainer, HistoryRecord record);

    /// <summary>Called once when training ends (normally or because a callback stopped it).</summary>
    void OnTrainEnd(IGraphTrainer trainer);
}

/// <summary>What a <see cref="IGraphTrainingCallback"/> sees of a <see cref="GraphTrainer{TOutput}"/>, whatever its output type.</summary>
public interface IGraphTrainer
{
    /// <summary>The model being trained.</summary>
    nn.Module Model { get; }

    /// <summary>Asks the loop to stop after the current batch.</summary>
    void Stop();

    /// <summary>
    /// Whether a larger value of the history key <paramref name="metricKey"/> (without <c>val_</c>, e.g. <c>class_accuracy</c>)
    /// is better, as its metric says; null when no metric writes that key (losses, the penalty).
    /// </summary>
    bool? HigherIsBetter(string metricKey);
}

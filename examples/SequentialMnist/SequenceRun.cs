using ModelDsl.Examples;
using ModelDsl.Training;

namespace SequentialMnist;

/// <summary>What a run measured: test accuracy, epochs trained and the training time in seconds.</summary>
public sealed record SequenceResult(double TestAccuracy, int Epochs, double Seconds, History History);

/// <summary>Trains <see cref="SequenceClassifier"/> on MNIST rows as sequences, with early stopping on validation accuracy.</summary>
public static class SequenceRun
{
    /// <param name="quick">One epoch on 5,000 images, tested on 1,000 (the CI twin); otherwise up to 15 epochs on 55,000 and the whole test set.</param>
    /// <param name="progress">Progress reporter (plain lines in tests).</param>
    public static SequenceResult Run(bool quick, IProgressReporter? progress = null)
    {
        var (accuracy, epochs, seconds, history) = MnistClassifierRun.Train(new SequenceClassifier(seed: 42), new long[] { 28, 28 }, quick,
            epochs: 15, patience: 3, augmentation: null, progress);
        return new SequenceResult(accuracy, epochs, seconds, history);
    }
}

using System.Diagnostics;
using ModelDsl.Augmentation;
using ModelDsl.Data;
using ModelDsl.Training;
using static TorchSharp.torch;

namespace ModelDsl.Examples;

/// <summary>
/// The MNIST training run the sequence examples share (compiled into each, internal to each): the usual 55k / 5k / 10k
/// split, Adam (lr 1e-3), batch 128, seed 42, early stopping on validation accuracy with the best weights restored.
/// </summary>
internal static class MnistClassifierRun
{
    /// <param name="model">The classifier to train.</param>
    /// <param name="sampleShape">Each image's shape as the model reads it ([28, 28] rows as steps, [1, 28, 28] an image).</param>
    /// <param name="quick">One epoch on 5,000 images, tested on 1,000 (the CI twins); otherwise up to <paramref name="epochs"/> on 55,000 and the whole test set.</param>
    /// <param name="epochs">The epoch cap of a full run.</param>
    /// <param name="patience">Early stopping's patience, in epochs.</param>
    /// <param name="augmentation">Training-batch augmentation of a full run (the quick run has none).</param>
    /// <param name="progress">Progress reporter; null picks ProgressReporters.Auto().</param>
    /// <returns>Test accuracy, epochs trained, seconds of training and the history.</returns>
    public static (double TestAccuracy, int Epochs, double Seconds, History History) Train(nn.Module<Tensor, Tensor> model, long[] sampleShape,
        bool quick, int epochs, int patience, IAugmentation? augmentation, IProgressReporter? progress)
    {
        using var mnist = MnistSplits.Load(5_000, sampleShape);
        using LabeledData train = quick ? mnist.Train.Slice(0, 5_000) : mnist.Train.Slice(0, mnist.Train.Count);
        using LabeledData test = quick ? mnist.Test.Slice(0, 1_000) : mnist.Test.Slice(0, mnist.Test.Count);

        var trainer = new Trainer(model, optim.Adam(model.parameters(), lr: 1e-3), new TrainerOptions
        {
            Epochs = quick ? 1 : epochs,
            Augmentation = quick ? null : augmentation,
            BatchSize = 128,
            Seed = 42,
            Progress = progress ?? ProgressReporters.Auto(),
        });
        using var earlyStopping = new EarlyStopping(monitor: "val_accuracy", patience: patience, restoreBest: true);
        trainer.Callbacks.Add(earlyStopping);

        var clock = Stopwatch.StartNew();
        trainer.Fit(train, mnist.Validation);
        double seconds = clock.Elapsed.TotalSeconds;
        return (trainer.Evaluate(test)["accuracy"], trainer.CompletedEpochs, seconds, trainer.History);
    }
}

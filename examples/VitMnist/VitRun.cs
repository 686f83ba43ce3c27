using System;
using System.Diagnostics;
using System.IO;
using ModelDsl;
using ModelDsl.Data;
using ModelDsl.Training;
using static TorchSharp.torch;

namespace VitMnist;

/// <summary>What a run measured: test accuracy, epochs trained and the training time in seconds.</summary>
public sealed record VitResult(double TestAccuracy, int Epochs, double Seconds, History History);

/// <summary>Trains <see cref="VisionTransformer"/> on MNIST images as sequences of 7×7 patches, with early stopping on validation accuracy.</summary>
public static class VitRun
{
    /// <param name="quick">One epoch on 5,000 images, tested on 1,000 (the CI twin); otherwise up to 20 epochs on 55,000 and the whole test set.</param>
    /// <param name="progress">Progress reporter (plain lines in tests).</param>
    public static VitResult Run(bool quick, IProgressReporter? progress = null)
    {
        using var mnist = MnistSplits.Load(validation: 5_000, 1, 28, 28);
        using LabeledData train = quick ? mnist.Train.Slice(0, 5_000) : mnist.Train.Slice(0, mnist.Train.Count);
        using LabeledData test = quick ? mnist.Test.Slice(0, 1_000) : mnist.Test.Slice(0, mnist.Test.Count);

        var model = new VisionTransformer(seed: 42);
        var trainer = new Trainer(model, optim.Adam(model.parameters(), lr: 1e-3), new TrainerOptions
        {
            Epochs = quick ? 1 : 20,
            BatchSize = 128,
            Seed = 42,
            Progress = progress ?? ProgressReporters.Auto(),
        });
        using var earlyStopping = new EarlyStopping(monitor: "val_accuracy", patience: 4, restoreBest: true);
        trainer.Callbacks.Add(earlyStopping);

        var clock = Stopwatch.StartNew();
        trainer.Fit(train, mnist.Validation);
        double seconds = clock.Elapsed.TotalSeconds;
        double accuracy = trainer.Evaluate(test)["accuracy"];
        return new VitResult(accuracy, trainer.CompletedEpochs, seconds, trainer.History);
    }
}

using System.Diagnostics;
using MnistCnnExample;
using ModelDsl.Augmentation;
using ModelDsl.Data;
using ModelDsl.Training;
using static TorchSharp.torch;

namespace ResNetMnist;

/// <summary>What a run measured: test accuracy, epochs trained, seconds of training and the history.</summary>
public sealed record ResNetResult(double TestAccuracy, int Epochs, double Seconds, History History);

/// <summary>
/// Trains a CNN on MNIST (the ResNet here, the Inception network of examples/InceptionMnist, which reuses this recipe): the usual 55k / 5k / 10k split, <see cref="AugmentationPresets.Digits"/> on training
/// batches, Adam (lr 2·10⁻³, ×0.75 after every epoch), batch 128, seed 42, early stopping on val_loss (patience 3) with the
/// best weights restored (examples/MnistCnn's recipe with a slightly slower decay).
/// </summary>
public static class ResNetRun
{
    /// <param name="model">The network (a <see cref="ResNet"/> in the example).</param>
    /// <param name="quick">One epoch on 5,000 images without augmentation, tested on 1,000 (the CI twin); otherwise up to <paramref name="epochs"/> on 55,000 and the whole test set.</param>
    /// <param name="epochs">The epoch cap of a full run.</param>
    /// <param name="progress">Progress reporter; null picks ProgressReporters.Auto().</param>
    /// <param name="checkEveryBatches">Validate every this many batches instead of once per epoch (the experiment's curves).</param>
    public static ResNetResult Run(nn.Module<Tensor, Tensor> model, bool quick, int epochs = 12, IProgressReporter? progress = null, int? checkEveryBatches = null)
    {
        using var mnist = MnistSplits.Load(5_000);
        using LabeledData train = quick ? mnist.Train.Slice(0, 5_000) : mnist.Train.Slice(0, mnist.Train.Count);
        using LabeledData test = quick ? mnist.Test.Slice(0, 1_000) : mnist.Test.Slice(0, mnist.Test.Count);

        var optimizer = optim.Adam(model.parameters(), lr: 2e-3);
        var trainer = new Trainer(model, optimizer, new TrainerOptions
        {
            Epochs = quick ? 1 : epochs,
            BatchSize = 128,
            Seed = 42,
            // Shift ±2 px, rotate ±10°, zoom ±10 %, stretch ±5 %, no flips; training batches only.
            Augmentation = quick ? null : AugmentationPresets.Digits(),
            Progress = progress ?? ProgressReporters.Auto(),
            CheckEveryBatches = checkEveryBatches,
        });
        using var earlyStopping = new EarlyStopping(monitor: "val_loss", patience: 3, restoreBest: true);
        trainer.Callbacks.Add(earlyStopping);
        // The decay acts per check; with several checks per epoch (the experiment's first epoch) the rate stays at 2·10⁻³,
        // as it does through a full run's first epoch.
        if (checkEveryBatches is null) trainer.Callbacks.Add(new LearningRateDecay(optimizer, factor: 0.75));

        var clock = Stopwatch.StartNew();
        trainer.Fit(train, mnist.Validation);
        double seconds = clock.Elapsed.TotalSeconds;
        return new ResNetResult(trainer.Evaluate(test)["accuracy"], trainer.CompletedEpochs, seconds, trainer.History);
    }
}

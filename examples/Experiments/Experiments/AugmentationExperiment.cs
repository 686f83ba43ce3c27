using System.Collections.Generic;
using System.Linq;
using Experiments.Models;
using ModelDsl.Augmentation;
using ModelDsl.Training;
using static TorchSharp.torch;

namespace Experiments;

/// <summary>5.6's numbers.</summary>
/// <param name="TrainImages">Training images.</param>
/// <param name="TestImages">Test images.</param>
/// <param name="Epochs">Epochs per training run.</param>
/// <param name="PlainTestAccuracy">Test accuracy trained without augmentation.</param>
/// <param name="DigitsTestAccuracy">Test accuracy trained with <see cref="AugmentationPresets.Digits"/>.</param>
/// <param name="Trials">RandAugment (N, M) grid, best first, by validation accuracy.</param>
/// <param name="PlainValidationAccuracy">Validation accuracy without augmentation (the search's baseline).</param>
/// <param name="BestTestAccuracy">Test accuracy of the best (N, M), retrained.</param>
public sealed record AugmentationResult(int TrainImages, int TestImages, int Epochs, double PlainTestAccuracy, double DigitsTestAccuracy, IReadOnlyList<RandAugmentTrial> Trials, double PlainValidationAccuracy, double BestTestAccuracy);

/// <summary>
/// 5.6: on a small training set, label-preserving transformations (shifts, small rotations and scalings of the
/// digits) raise test accuracy; RandAugment's two numbers (N operations of magnitude M) are chosen by a small grid
/// search on a validation slice (Cubuk et al. 2020).
/// </summary>
public static class AugmentationExperiment
{
    private const long Seed = 5_6;

    /// <summary>Quick: 200 images, 50 epochs of batches of 20, a 1 × 2 grid; full: 1,000 images, 60 epochs of batches of 50, a 2 × 3 grid.</summary>
    public static AugmentationResult Run(ExperimentSize size)
    {
        bool full = size == ExperimentSize.Full;
        int trainImages = full ? 1000 : 200, testImages = full ? 10_000 : 1000, epochs = full ? 60 : 50, batch = full ? 50 : 20;
        using var data = MnistSubsets.Load(trainImages, validation: full ? 2000 : 1000, testImages);
        var plain = Train(data, null, epochs, batch);
        double digits = Train(data, AugmentationPresets.Digits(), epochs, batch).Test;
        int[] ns = full ? new[] { 1, 2 } : new[] { 1 };
        int[] ms = full ? new[] { 3, 6, 9 } : new[] { 3, 9 };
        var trials = RandAugmentSearch.Run(ns, ms, policy => Train(data, policy, epochs, batch).Validation, RandAugment.DigitSafeOperations);
        var bestTrial = trials[0];
        double bestTest = Train(data, new RandAugment(bestTrial.N, bestTrial.M, RandAugment.DigitSafeOperations), epochs, batch).Test;
        return new AugmentationResult(trainImages, testImages, epochs, plain.Test, digits, trials, plain.Validation, bestTest);
    }

    // A fresh model from the same seed each time, so the runs differ only in the augmentation.
    private static (double Validation, double Test) Train(MnistSubsets data, IAugmentation? augmentation, int epochs, int batch)
    {
        using var model = new SmallMnistMlp(Seed);
        var trainer = new Trainer(model, optim.Adam(model.parameters(), lr: 1e-3), new TrainerOptions
        {
            Epochs = epochs,
            BatchSize = batch,
            Seed = Seed,
            Augmentation = augmentation is null ? null : new OnImages(augmentation, 1, 28, 28),
        });
        trainer.Fit(data.Train);
        return (trainer.Evaluate(data.Validation)["accuracy"], trainer.Evaluate(data.Test)["accuracy"]);
    }
}

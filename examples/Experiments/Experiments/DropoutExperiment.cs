using System;
using System.Collections.Generic;
using Experiments.Models;
using ModelDsl.Training;
using static TorchSharp.torch;

namespace Experiments;

/// <summary>One MNIST MLP run.</summary>
/// <param name="Name">Which model.</param>
/// <param name="TrainAccuracy">Accuracy on the training images (eval mode) after the last epoch.</param>
/// <param name="TestAccuracy">Test accuracy after the last epoch.</param>
/// <param name="TestLoss">Test loss after the last epoch.</param>
public sealed record DropoutRun(string Name, double TrainAccuracy, double TestAccuracy, double TestLoss)
{
    /// <summary>The generalization gap: train − test accuracy.</summary>
    public double Gap => TrainAccuracy - TestAccuracy;
}

/// <summary>5.8's runs.</summary>
/// <param name="TrainImages">Training images.</param>
/// <param name="TestImages">Test images.</param>
/// <param name="Epochs">Epochs per run.</param>
/// <param name="Runs">No dropout, inverted dropout, weight-scaling dropout.</param>
public sealed record DropoutResult(int TrainImages, int TestImages, int Epochs, IReadOnlyList<DropoutRun> Runs)
{
    /// <summary>
    /// The tolerance for "inverted and weight-scaling give the same test accuracy": three standard errors of the
    /// difference of two accuracies p measured on <see cref="TestImages"/> independent images, 3·√(2p(1−p)/n).
    /// </summary>
    public double ModeTolerance
    {
        get
        {
            double p = (Runs[1].TestAccuracy + Runs[2].TestAccuracy) / 2;
            return 3 * Math.Sqrt(2 * p * (1 - p) / TestImages);
        }
    }
}

/// <summary>
/// 5.8: dropout (keep 0.8 on the inputs, 0.5 on hidden units, Srivastava et al. 2014) narrows the gap between
/// training and test accuracy of an MNIST MLP; the inverted rule (scale by 1/p while training) and the weight-scaling
/// rule (scale by p at inference) are two implementations of the same expectation and reach the same accuracy.
/// </summary>
public static class DropoutExperiment
{
    private const long Seed = 5_8;

    /// <summary>Quick: 500 images, 6 epochs; full: 3,000 images, 30 epochs. Adam, lr 10⁻³.</summary>
    public static DropoutResult Run(ExperimentSize size)
    {
        bool full = size == ExperimentSize.Full;
        int trainImages = full ? 3000 : 500, testImages = full ? 10_000 : 1000, epochs = full ? 30 : 10;
        using var data = MnistSubsets.Load(trainImages, validation: 1, testImages);
        var runs = new List<DropoutRun>();
        using (var plain = new PlainMnistMlp(Seed)) runs.Add(Train("no dropout", plain, data, epochs));
        using (var inverted = new InvertedDropoutMnistMlp(Seed)) runs.Add(Train("dropout, inverted", inverted, data, epochs));
        using (var scaling = new WeightScalingDropoutMnistMlp(Seed)) runs.Add(Train("dropout, weight scaling", scaling, data, epochs));
        return new DropoutResult(trainImages, testImages, epochs, runs);
    }

    private static DropoutRun Train(string name, nn.Module<Tensor, Tensor> model, MnistSubsets data, int epochs)
    {
        var trainer = new Trainer(model, optim.Adam(model.parameters(), lr: 1e-3), new TrainerOptions
        {
            Epochs = epochs,
            BatchSize = 50,
            Seed = Seed,
        });
        trainer.Fit(data.Train);
        var test = trainer.Evaluate(data.Test);
        return new DropoutRun(name, trainer.Evaluate(data.Train)["accuracy"], test["accuracy"], test["loss"]);
    }
}

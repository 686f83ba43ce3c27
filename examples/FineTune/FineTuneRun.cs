using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using ModelDsl;
using ModelDsl.Data;
using ModelDsl.Training;
using ModelDsl.Weights;
using static TorchSharp.torch;

namespace FineTune;

/// <summary>What a run measured.</summary>
/// <param name="MaxInputDifference">Largest |pixel| difference between ModelDsl's and PyTorch's first 16 test images.</param>
/// <param name="MaxOutputDifference">Largest |logit| difference between the loaded model and PyTorch on those images.</param>
/// <param name="PretrainedAccuracy">The loaded network's test accuracy on digits 0–4.</param>
/// <param name="FineTunedAccuracy">Test accuracy on digits 5–9 after fine-tuning the head.</param>
/// <param name="Epochs">Fine-tuning epochs run with the body frozen.</param>
/// <param name="FrozenEpochSeconds">Seconds per epoch of fine-tuning with the body frozen.</param>
/// <param name="FullEpochSeconds">Seconds of the same first epoch training every parameter.</param>
/// <param name="FrozenTrainable">Trainable parameters with the body frozen (the head's).</param>
/// <param name="FullTrainable">Trainable parameters when nothing is frozen.</param>
/// <param name="FullAccuracy">Test accuracy on digits 5–9 after the one epoch training everything.</param>
public sealed record FineTuneResult(
    double MaxInputDifference, double MaxOutputDifference, double PretrainedAccuracy, double FineTunedAccuracy, int Epochs,
    double FrozenEpochSeconds, double FullEpochSeconds, long FrozenTrainable, long FullTrainable, double FullAccuracy);

/// <summary>
/// Loads the PyTorch-trained <see cref="DigitsMlp"/> (digits 0–4), checks it computes what PyTorch computed, then
/// fine-tunes a new head on digits 5–9 (relabelled 0–4) with the body frozen, and times one epoch of the same training
/// with nothing frozen for comparison. Adam (lr 10⁻²), batch 128, seed 42.
/// </summary>
public static class FineTuneRun
{
    /// <summary>The state_dict train_in_pytorch.py saved, copied next to the assembly.</summary>
    public static string WeightsPath => Path.Combine(AppContext.BaseDirectory, "digits0to4.pt");

    /// <summary>PyTorch's first 16 test images ("inputs") and its logits for them ("outputs").</summary>
    public static string ReferencePath => Path.Combine(AppContext.BaseDirectory, "reference.pt");

    /// <param name="quick">Fine-tune on 500 images of digits 5–9 and test on 500 (the CI twin); otherwise all of them.</param>
    /// <param name="epochs">Fine-tuning epochs with the body frozen.</param>
    /// <param name="progress">Progress reporter; null picks ProgressReporters.Auto().</param>
    /// <param name="log">Where to write what the run does; null writes nothing.</param>
    public static FineTuneResult Run(bool quick, int epochs = 2, IProgressReporter? progress = null, TextWriter? log = null)
    {
        log ??= TextWriter.Null;
        using var allTrain = MnistData.Load(train: true);
        using var allTest = MnistData.Load(train: false);
        int? limit = quick ? 500 : null;
        using var pretrainTest = Digits(allTest, 0, limit);
        using var train = Digits(allTrain, 5, limit);
        using var test = Digits(allTest, 5, limit);
        log.WriteLine($"digits 5–9: {train.Count:N0} training and {test.Count:N0} test images; digits 0–4: {pretrainTest.Count:N0} test images");

        // 1. The PyTorch weights, loaded strictly: any missing, unexpected or mis-shaped tensor throws.
        using var model = new DigitsMlp(seed: 42);
        model.LoadWeights(WeightsPath);
        var (inputDifference, outputDifference) = CompareWithPyTorch(model, allTest);
        log.WriteLine($"max |difference| vs PyTorch on 16 test images: inputs {inputDifference:G3}, outputs {outputDifference:G3}");
        double pretrained = Accuracy(model, pretrainTest);
        log.WriteLine($"loaded network on digits 0–4: {pretrained:P2} test accuracy");

        // 2. The same epoch twice from the same start, with the body frozen and with nothing frozen.
        progress ??= ProgressReporters.Auto();
        TrainerOptions Options(int epochCount) => new() { Epochs = epochCount, BatchSize = 128, Seed = 42, Progress = progress };
        double fullSeconds, fullAccuracy;
        long fullTrainable;
        using (var everything = new DigitsMlp(seed: 42))
        {
            everything.LoadWeights(WeightsPath);
            NewHead(everything);
            fullTrainable = Trainable(everything);
            var trainer = new Trainer(everything, optim.Adam(everything.parameters(), lr: 1e-2), Options(1));
            var clock = Stopwatch.StartNew();
            trainer.Fit(train);
            fullSeconds = clock.Elapsed.TotalSeconds;
            fullAccuracy = trainer.Evaluate(test)["accuracy"];
        }
        log.WriteLine($"1 epoch training everything ({fullTrainable:N0} parameters): {fullSeconds:0.000} s, {fullAccuracy:P2} on digits 5–9");

        NewHead(model);
        model.Body.Freeze();
        long frozenTrainable = Trainable(model);
        var fineTuner = new Trainer(model, optim.Adam(model.parameters().Where(p => p.requires_grad), lr: 1e-2), Options(epochs));
        var fineTuneClock = Stopwatch.StartNew();
        fineTuner.Fit(train);
        double frozenSeconds = fineTuneClock.Elapsed.TotalSeconds / fineTuner.CompletedEpochs;
        double fineTuned = fineTuner.Evaluate(test)["accuracy"];
        log.WriteLine($"{fineTuner.CompletedEpochs} epochs with the body frozen ({frozenTrainable:N0} parameters): {frozenSeconds:0.000} s per epoch, {fineTuned:P2} on digits 5–9");

        return new FineTuneResult(inputDifference, outputDifference, pretrained, fineTuned, fineTuner.CompletedEpochs,
            frozenSeconds, fullSeconds, frozenTrainable, fullTrainable, fullAccuracy);
    }

    /// <summary>The largest differences between the first 16 test images and the logits for them and PyTorch's.</summary>
    public static (double Inputs, double Outputs) CompareWithPyTorch(DigitsMlp model, LabeledData test)
    {
        using var scope = NewDisposeScope();
        Dictionary<string, Tensor> reference = WeightsFile.Read(ReferencePath);
        Tensor inputs = test.Inputs.narrow(0, 0, 16);
        model.eval();
        using var noGrad = no_grad();
        Tensor outputs = model.forward(inputs);
        double inputDifference = (inputs - reference["inputs"]).abs().max().item<float>();
        double outputDifference = (outputs - reference["outputs"]).abs().max().item<float>();
        return (inputDifference, outputDifference);
    }

    // The samples labelled from … from+4, relabelled 0–4; the first `limit` of them when given.
    private static LabeledData Digits(LabeledData data, int from, int? limit)
    {
        using var scope = NewDisposeScope();
        Tensor index = ((data.Labels >= from) & (data.Labels < from + 5)).nonzero().squeeze(1);
        if (limit is int l && l < index.shape[0]) index = index.narrow(0, 0, l);
        return new LabeledData(data.Inputs.index_select(0, index), data.Labels.index_select(0, index) - from);
    }

    // A freshly initialized head (Dense(5)'s declared init, another seed) in place of the one trained on 0–4.
    private static void NewHead(DigitsMlp model)
    {
        using var fresh = new DigitsMlp(seed: 7);
        using var noGrad = no_grad();
        foreach (var (target, source) in model.Head.parameters().Zip(fresh.Head.parameters())) target.copy_(source);
    }

    private static long Trainable(DigitsMlp model) => model.parameters().Where(p => p.requires_grad).Sum(p => p.numel());

    private static double Accuracy(DigitsMlp model, LabeledData data)
    {
        using var scope = NewDisposeScope();
        model.eval();
        using var noGrad = no_grad();
        return model.forward(data.Inputs).argmax(1).eq(data.Labels).to(ScalarType.Float32).mean().item<float>();
    }
}

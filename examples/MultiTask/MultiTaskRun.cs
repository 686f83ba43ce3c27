using System.Collections.Generic;
using System.Diagnostics;
using ModelDsl;
using ModelDsl.Data;
using ModelDsl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask;

/// <summary>What one run measured: test metrics (GraphTrainer keys), epochs trained, seconds of training, the history.</summary>
public sealed record MultiTaskResult(IReadOnlyDictionary<string, double> Test, int Epochs, double Seconds, History History);

/// <summary>
/// The two MNIST runs of this example, shared by Program.cs and the CI twin: Adam (lr 10⁻³), batch 128, seed 42,
/// early stopping on the digit's validation loss with the best weights restored. Targets and the second input are
/// derived from each image's pixels (values pixel/256 as MnistData loads them).
/// </summary>
public static class MultiTaskRun
{
    /// <summary>
    /// Ink fraction per image, [N, 1] float32: the mean pixel value (MnistData's pixel/256, so 0 … 0.996). Not the
    /// centre of mass: MNIST centres every digit by its centre of mass, so that target would be nearly constant.
    /// </summary>
    /// <param name="images">[N, 1, 28, 28].</param>
    public static Tensor InkFraction(Tensor images)
    {
        using var scope = NewDisposeScope();
        return images.mean(new long[] { 1, 2, 3 }).unsqueeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>Ink profile per image, [N, 56]: mean ink of each row (28), then of each column (28).</summary>
    /// <param name="images">[N, 1, 28, 28].</param>
    public static Tensor Profile(Tensor images)
    {
        using var scope = NewDisposeScope();
        return cat(new[] { images.mean(new long[] { 1, 3 }), images.mean(new long[] { 1, 2 }) }, 1).MoveToOuterDisposeScope();
    }

    /// <summary>The labeled images as graph data: input <c>image</c>, targets <c>digit</c> and <c>ink</c>, and with <paramref name="profile"/> the input <c>profile</c>.</summary>
    public static GraphData ToGraphData(LabeledData data, bool profile)
    {
        var inputs = new Dictionary<string, Tensor> { ["image"] = data.Inputs.clone() };
        if (profile) inputs["profile"] = Profile(data.Inputs);
        return new GraphData(inputs, new Dictionary<string, Tensor> { ["digit"] = data.Labels.clone(), ["ink"] = InkFraction(data.Inputs) });
    }

    /// <summary>
    /// (a) The two-head CNN: cross-entropy on the digit (weight 1) plus MSE on the ink fraction (weight
    /// <paramref name="inkWeight"/>, 1 by default: the untrained ink head's squared errors (≈ 0.2) times 10 already swamp
    /// the digit's cross-entropy in the first steps; README.md compares), accuracy on the digit and mean absolute error on the ink.
    /// </summary>
    public static MultiTaskResult TwoHeads(GraphData train, GraphData validation, GraphData test, int epochs, IProgressReporter? progress, double inkWeight = 1)
    {
        using var model = new DigitAndInk(seed: 42);
        var trainer = new GraphTrainer<DigitAndInk.Outputs>(model, optim.Adam(model.parameters(), lr: 1e-3), Options(epochs, progress))
            .AddOutput("digit", o => o.Digit, target: "digit", loss: (o, t) => nn.functional.cross_entropy(o, t), weight: 1.0, new Accuracy())
            .AddOutput("ink", o => o.Ink, target: "ink", loss: (o, t) => nn.functional.mse_loss(o, t), weight: inkWeight, new MeanAbsoluteError());
        return Fit(trainer, train, validation, test);
    }

    /// <summary>(b) The two-input model: image and ink profile, cross-entropy and accuracy on the digit.</summary>
    public static MultiTaskResult TwoInputs(GraphData train, GraphData validation, GraphData test, int epochs, IProgressReporter? progress)
    {
        using var model = new ImageAndProfile(seed: 42);
        var trainer = new GraphTrainer<Tensor>(model, optim.Adam(model.parameters(), lr: 1e-3), Options(epochs, progress))
            .AddOutput("digit", o => o, target: "digit", loss: (o, t) => nn.functional.cross_entropy(o, t), weight: 1.0, new Accuracy());
        return Fit(trainer, train, validation, test);
    }

    private static TrainerOptions Options(int epochs, IProgressReporter? progress)
        => new() { Epochs = epochs, BatchSize = 128, Seed = 42, Progress = progress };

    private static MultiTaskResult Fit<T>(GraphTrainer<T> trainer, GraphData train, GraphData validation, GraphData test)
    {
        using var earlyStopping = new EarlyStopping(monitor: "val_digit_loss", patience: 2, restoreBest: true);
        trainer.Callbacks.Add(earlyStopping);
        var clock = Stopwatch.StartNew();
        trainer.Fit(train, validation);
        double seconds = clock.Elapsed.TotalSeconds;
        return new MultiTaskResult(trainer.Evaluate(test), trainer.CompletedEpochs, seconds, trainer.History);
    }
}

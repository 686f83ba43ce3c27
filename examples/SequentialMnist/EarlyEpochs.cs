using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Training;
using static TorchSharp.torch;

namespace SequentialMnist;

/// <summary>
/// What the experiments of this example share: train a model for the first epochs (seed 42, Adam 1e-3, batch 128, the
/// same data order for every model), check validation accuracy every 100 steps, and print the checks side by side.
/// </summary>
public static class EarlyEpochs
{
    /// <summary>Trains <paramref name="model"/>; returns its history and its test accuracy in eval mode after the last epoch.</summary>
    public static (History History, double TestAccuracy) Train(nn.Module<Tensor, Tensor> model, MnistSplits mnist, int epochs)
    {
        var trainer = new Trainer(model, optim.Adam(model.parameters(), lr: 1e-3), new TrainerOptions
        {
            Epochs = epochs,
            BatchSize = 128,
            Seed = 42,
            CheckEveryBatches = 100,
            Progress = ProgressReporters.Auto(),
        });
        trainer.Fit(mnist.Train, mnist.Validation);
        return (trainer.History, trainer.Evaluate(mnist.Test)["accuracy"]);
    }

    /// <summary>A Markdown table: one row per check, one validation-accuracy column per run.</summary>
    public static void WriteTable(TextWriter log, IReadOnlyList<(string Name, History History)> runs)
    {
        log.WriteLine("| step | " + string.Join(" | ", runs.Select(r => "val_accuracy, " + r.Name)) + " |");
        log.WriteLine("|---:|" + string.Concat(runs.Select(_ => "---:|")));
        int rows = runs.Min(r => r.History.Records.Count);
        for (int i = 0; i < rows; i++)
            log.WriteLine($"| {runs[0].History.Records[i].Step} | " + string.Join(" | ", runs.Select(r => $"{r.History.Records[i]["val_accuracy"]:P2}")) + " |");
    }
}

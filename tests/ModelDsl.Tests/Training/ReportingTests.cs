using System.IO;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Tests.Models;
using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Training;

public sealed class ReportingTests : System.IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("modeldsl-report-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static (Trainer Trainer, StringWriter Output) Train(int epochs)
    {
        using var train = SyntheticData.Clusters(64, 8, 3, taskSeed: 1, sampleSeed: 2);
        using var validation = SyntheticData.Clusters(32, 8, 3, taskSeed: 1, sampleSeed: 3);
        var output = new StringWriter();
        var model = new TrainingClassifier(seed: 1);
        var trainer = new Trainer(model, optim.Adam(model.parameters(), lr: 1e-2),
            new TrainerOptions { Epochs = epochs, BatchSize = 16, Seed = 1, Progress = new PlainProgressReporter(output) });
        trainer.Fit(train, validation);
        return (trainer, output);
    }

    [Fact]
    public void Plain_progress_writes_the_thread_choice_then_one_line_per_epoch_with_the_metrics()
    {
        var (_, output) = Train(3);
        string[] lines = output.ToString().Split('\n', System.StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        var (threads, why) = IntraOpThreads.Choose(null);
        Assert.Equal($"Trainer: {threads} intra-op thread(s) ({why}).", lines[0]);
        Assert.StartsWith("epoch 1/3  step 4  loss ", lines[1]);
        Assert.All(lines.Skip(1), line => Assert.Contains("val_accuracy", line));
    }

    [Fact]
    public void A_cnn_fit_notes_which_layout_its_image_activations_run_in_and_why()
    {
        using var train = new LabeledData(randn(new long[] { 12, 1, 20, 18 }, generator: new Generator(1)), randint(0, 5, new long[] { 12 }, generator: new Generator(2)));
        var output = new StringWriter();
        var model = new SmallCnn(seed: 1);
        new Trainer(model, optim.SGD(model.parameters(), 0.01),
            new TrainerOptions { Epochs = 1, BatchSize = 6, Seed = 1, Progress = new PlainProgressReporter(output) }).Fit(train);
        string[] lines = output.ToString().Split('\n', System.StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"Trainer: image activations {ChannelsLast.Explain(model)}.", lines[1]);
        Assert.Matches(@"^Trainer: image activations (channels-last \(NHWC\)|NCHW): \S", lines[1]);
    }

    [Fact]
    public void History_round_trips_through_csv_and_learning_curves_render_a_png()
    {
        var (trainer, _) = Train(4);
        string csv = trainer.History.ToCsv();
        Assert.StartsWith("epoch,step,loss,accuracy,val_loss,val_accuracy\n1,4,", csv);
        Assert.Equal(csv, History.FromCsv(csv).ToCsv());

        string png = LearningCurves.SavePng(trainer.History, Path.Combine(folder, "curves.png"));
        byte[] bytes = File.ReadAllBytes(png);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes.Take(4).ToArray());
        Assert.True(bytes.Length > 10_000, $"a 1000×420 plot with four curves is tens of kB, got {bytes.Length} bytes");
    }

    [Fact]
    public void Artifacts_are_the_curves_and_the_csv_in_one_folder()
    {
        var (trainer, _) = Train(2);
        string run = Path.Combine(folder, "run");
        string png = trainer.History.SaveArtifacts(run);

        Assert.Equal(Path.Combine(run, "learning-curves.png"), png);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(png).Take(4).ToArray());
        Assert.Equal(trainer.History.ToCsv(), File.ReadAllText(Path.Combine(run, "history.csv")));
    }
}

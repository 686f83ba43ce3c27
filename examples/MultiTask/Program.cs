using System;
using System.Diagnostics;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Training;
using MultiTask;
using static TorchSharp.torch;

// Graph models trained on MNIST with the GraphTrainer: (a) a two-head CNN (digit class + the image's ink fraction,
// per-output losses, weights and metrics); (b) a two-input model (image + its 56-number ink profile).
// `--train N` uses the first N of the 55,000 training images (default 20,000), `--epochs N` caps the epochs (default 3);
// `--ink-weight W` weighs the ink loss (default 1); `--quick` is the CI smoke run (2,000 images, 1 epoch, 1,000 test images).
if (Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is null) set_num_threads(1);

int epochs = 3, trainCount = 20_000, testCount = 10_000;
double inkWeight = 1;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--quick") (epochs, trainCount, testCount) = (1, 2_000, 1_000);
    else if (args[i] == "--epochs" && i + 1 < args.Length && int.TryParse(args[++i], out int n) && n >= 1) epochs = n;
    else if (args[i] == "--train" && i + 1 < args.Length && int.TryParse(args[++i], out int t) && t is >= 2 and <= 55_000) trainCount = t;
    else if (args[i] == "--ink-weight" && i + 1 < args.Length && double.TryParse(args[++i], System.Globalization.CultureInfo.InvariantCulture, out double w) && w >= 0) inkWeight = w;
    else
    {
        Console.Error.WriteLine($"bad argument '{args[i]}'; usage: [--train N (2 … 55000)] [--epochs N (N ≥ 1)] [--ink-weight W (W ≥ 0, default 1)] [--quick]");
        return 2;
    }
}

var clock = Stopwatch.StartNew();
using var mnist = MnistSplits.Load(validation: 5_000);
using var trainImages = mnist.Train.Slice(0, trainCount);
using var testImages = mnist.Test.Slice(0, testCount);
using var train = MultiTaskRun.ToGraphData(trainImages, profile: true);
using var validation = MultiTaskRun.ToGraphData(mnist.Validation, profile: true);
using var test = MultiTaskRun.ToGraphData(testImages, profile: true);
Console.WriteLine($"MNIST: {train.Count:N0} train, {validation.Count:N0} validation, {test.Count:N0} test ({clock.Elapsed.TotalSeconds:0.0} s)");

// The baseline an ink head must beat: always predicting the training mean.
double meanInk = train.Targets["ink"].mean().item<float>();
double baselineMae = (test.Targets["ink"] - meanInk).abs().mean().item<float>();
Console.WriteLine($"ink fraction: training mean {meanInk:0.0000}; predicting it gives test MAE {baselineMae:0.0000}");

var progress = ProgressReporters.Auto();
Console.WriteLine($"\n(a) two heads: digit (cross-entropy, weight 1) + ink fraction (MSE, weight {inkWeight})");
var heads = MultiTaskRun.TwoHeads(train, validation, test, epochs, progress, inkWeight);
Console.WriteLine($"test: digit accuracy {heads.Test["digit_accuracy"]:P2}, digit loss {heads.Test["digit_loss"]:0.0000}, ink MAE {heads.Test["ink_mae"]:0.00000}, ink loss {heads.Test["ink_loss"]:0.000000}, weighted loss {heads.Test["loss"]:0.0000}");
Console.WriteLine($"{heads.Epochs} epoch(s), {heads.Seconds:0} s of training");

Console.WriteLine("\n(b) two inputs: image + ink profile [56], concatenated");
var inputs = MultiTaskRun.TwoInputs(train, validation, test, epochs, progress);
Console.WriteLine($"test: digit accuracy {inputs.Test["digit_accuracy"]:P2}, digit loss {inputs.Test["digit_loss"]:0.0000}");
Console.WriteLine($"{inputs.Epochs} epoch(s), {inputs.Seconds:0} s of training");

Console.WriteLine($"\ntotal time: {clock.Elapsed.TotalSeconds:0} s");
return 0;

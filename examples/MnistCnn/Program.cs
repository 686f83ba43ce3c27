using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using MnistCnnExample;
using ModelDsl.Augmentation;
using ModelDsl.Data;
using ModelDsl.Training;
using TorchSharp;
using static TorchSharp.torch;

// MNIST with the small CNN of MnistCnn.cs: augmentation on training batches only, early stopping on a 5k validation
// split, test accuracy, learning curves. `--epochs N` caps the epochs (default 10); `--quick` is a 1-epoch smoke run.
// One libtorch thread unless OMP_NUM_THREADS says otherwise: on a busy shared 2-core machine OpenMP's spinning
// workers are far slower than one thread (see examples/Quickstart).
if (Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is null) set_num_threads(1);

int epochs = 10;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--quick") epochs = 1;
    else if (args[i] == "--epochs" && i + 1 < args.Length && int.TryParse(args[++i], out int n) && n >= 1) epochs = n;
    else
    {
        Console.Error.WriteLine($"bad argument '{args[i]}'; usage: [--epochs N (N ≥ 1)] [--quick]");
        return 2;
    }
}

var clock = Stopwatch.StartNew();
using var mnist = MnistSplits.Load(validation: 5_000);   // the usual 55k / 5k / 10k split: early stopping must not look at the test set
Console.WriteLine($"MNIST: {mnist.Train.Count:N0} train, {mnist.Validation.Count:N0} validation, {mnist.Test.Count:N0} test ({clock.Elapsed.TotalSeconds:0.0} s)");

var model = new MnistCnn(seed: 42);
Console.WriteLine(model.Summary());
Console.WriteLine($"parameters: {model.parameters().Sum(p => p.numel()):N0}");

var optimizer = optim.Adam(model.parameters(), lr: 2e-3);
var trainer = new Trainer(model, optimizer, new TrainerOptions
{
    Epochs = epochs,
    BatchSize = 128,
    Seed = 42,
    // Digits: shift ±2 px, rotate ±10°, zoom ±10 %, stretch ±5 %, no flips (a mirrored digit is another or no digit).
    // The trainer applies it to training batches only; validation and test images are left as they are.
    Augmentation = AugmentationPresets.Digits(),
    Progress = ProgressReporters.Auto(),
});
using var earlyStopping = new EarlyStopping(monitor: "val_loss", patience: 3, restoreBest: true);
trainer.Callbacks.Add(earlyStopping);
trainer.Callbacks.Add(new LearningRateDecay(optimizer, factor: 0.7));

trainer.Fit(mnist.Train, mnist.Validation);

var testMetrics = trainer.Evaluate(mnist.Test);
Console.WriteLine($"best epoch (by val_loss): {earlyStopping.BestCheck + 1} of {trainer.CompletedEpochs} trained");
Console.WriteLine($"test accuracy: {testMetrics["accuracy"]:P2}  test loss: {testMetrics["loss"]:0.0000}");

string artifacts = Path.Combine(Directory.GetCurrentDirectory(), "artifacts", "mnist-cnn");
Console.WriteLine($"learning curves: {trainer.History.SaveArtifacts(artifacts)}");
Console.WriteLine($"total time: {clock.Elapsed.TotalSeconds:0} s");

return 0;

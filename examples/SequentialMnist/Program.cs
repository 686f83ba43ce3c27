using System;
using System.IO;
using ModelDsl.Training;
using SequentialMnist;
using static TorchSharp.torch;

// MNIST as sequences: 28 rows of 28 pixels into an LSTM declared with attributes. `--quick` is the CI twin's run.
// One libtorch thread unless OMP_NUM_THREADS says otherwise, as in the Quickstart (its comment has the measurements).
if (Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is null) set_num_threads(1);
if (Array.IndexOf(args, "--forget-bias") >= 0)
{
    ForgetBiasExperiment.Run(epochs: 2, Console.Out);   // docs/experiments.md, "Forget-gate bias"
    return;
}
if (Array.IndexOf(args, "--norm") >= 0)
{
    NormExperiment.Run(epochs: 2, Console.Out);         // docs/experiments.md, "LayerNorm versus BatchNorm"
    return;
}
bool quick = Array.IndexOf(args, "--quick") >= 0;
Console.WriteLine(new SequenceClassifier().Summary());
SequenceResult result = SequenceRun.Run(quick);
Console.WriteLine($"test accuracy: {result.TestAccuracy:P2} after {result.Epochs} epochs, {result.Seconds:0} s of training");
string artifacts = Path.Combine(Directory.GetCurrentDirectory(), "artifacts", "sequential-mnist");
Console.WriteLine($"learning curves: {result.History.SaveArtifacts(artifacts)}");

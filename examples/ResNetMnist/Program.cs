using System;
using System.IO;
using System.Linq;
using ModelDsl.Training;
using ResNetMnist;
using static TorchSharp.torch;

// MNIST through the small ResNet of ResNets.cs (three residual stages, zero-γ init). `--epochs N` caps the epochs
// (default 12); `--quick` is the CI twin's 1-epoch run on 5,000 images. `--experiment` trains the first N epochs
// (default 1) of the same network with zero-γ, with γ = 1 and with Fixup and no norms, validating every 43 batches
// (10 checks per epoch), and writes the curves to artifacts/resnet-mnist/init-experiment.csv (docs/experiments.md).
// One libtorch thread unless OMP_NUM_THREADS says otherwise, as in the Quickstart (its comment has the measurements).
if (Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is null) set_num_threads(1);

bool quick = false, experiment = false;
int epochs = 12;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--quick") quick = true;
    else if (args[i] == "--experiment") experiment = true;
    else if (args[i] == "--epochs" && i + 1 < args.Length && int.TryParse(args[++i], out int n) && n >= 1) epochs = n;
    else
    {
        Console.Error.WriteLine($"bad argument '{args[i]}'; usage: [--epochs N (N ≥ 1)] [--quick] [--experiment]");
        return 2;
    }
}

string artifacts = Path.Combine(Directory.GetCurrentDirectory(), "artifacts", "resnet-mnist");
if (experiment)
{
    Console.WriteLine($"curves: {InitExperiment.Run(args.Contains("--epochs") ? epochs : 1, artifacts)}");
    return 0;
}

var model = new ResNet(seed: 42);
Console.WriteLine(model.Summary());
ResNetResult result = ResNetRun.Run(model, quick, epochs);
Console.WriteLine($"test accuracy: {result.TestAccuracy:P2} after {result.Epochs} epoch{(result.Epochs == 1 ? "" : "s")}, {result.Seconds:0} s of training");
Console.WriteLine($"learning curves: {result.History.SaveArtifacts(artifacts)}");
return 0;

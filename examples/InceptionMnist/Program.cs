using System;
using System.IO;
using InceptionMnist;
using ModelDsl.Training;
using ResNetMnist;
using static TorchSharp.torch;

// MNIST through the Inception network of Inception.cs (three uses of one [Block] template with different widths).
// Trained with examples/ResNetMnist's recipe (ResNetRun). `--epochs N` caps the epochs (default 12); `--quick` is the CI
// twin's 1-epoch run on 5,000 images.
// One libtorch thread unless OMP_NUM_THREADS says otherwise, as in the Quickstart (its comment has the measurements).
if (Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is null) set_num_threads(1);

bool quick = false;
int epochs = 12;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--quick") quick = true;
    else if (args[i] == "--epochs" && i + 1 < args.Length && int.TryParse(args[++i], out int n) && n >= 1) epochs = n;
    else
    {
        Console.Error.WriteLine($"bad argument '{args[i]}'; usage: [--epochs N (N ≥ 1)] [--quick]");
        return 2;
    }
}

var model = new InceptionNet(seed: 42);
Console.WriteLine(model.Summary());
ResNetResult result = ResNetRun.Run(model, quick, epochs);
Console.WriteLine($"test accuracy: {result.TestAccuracy:P2} after {result.Epochs} epochs, {result.Seconds:0} s of training");
Console.WriteLine($"learning curves: {result.History.SaveArtifacts(Path.Combine(Directory.GetCurrentDirectory(), "artifacts", "inception-mnist"))}");
return 0;

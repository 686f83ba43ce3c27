using System;
using System.IO;
using ModelDsl.Training;
using VitMnist;
using static TorchSharp.torch;

// MNIST through a small Vision Transformer declared with attributes: 16 patches of 7×7, two pre-LN encoder layers. `--quick` is the CI twin's run.
// One libtorch thread unless OMP_NUM_THREADS says otherwise, as in the Quickstart (its comment has the measurements).
if (Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is null) set_num_threads(1);
bool quick = Array.IndexOf(args, "--quick") >= 0;
Console.WriteLine(new VisionTransformer().Summary());
VitResult result = VitRun.Run(quick);
Console.WriteLine($"test accuracy: {result.TestAccuracy:P2} after {result.Epochs} epochs, {result.Seconds:0} s of training");
string artifacts = Path.Combine(Directory.GetCurrentDirectory(), "artifacts", "vit-mnist");
Console.WriteLine($"learning curves: {result.History.SaveArtifacts(artifacts)}");

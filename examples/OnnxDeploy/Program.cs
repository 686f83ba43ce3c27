using System;
using System.IO;
using OnnxDeploy;
using static TorchSharp.torch;

// Train in .NET, serve anywhere: train the Quickstart network briefly, export it to ONNX, and run the MNIST test set
// through ONNX Runtime next to TorchSharp. `--quick` is the small run the test suite repeats.
// One libtorch thread unless OMP_NUM_THREADS says otherwise, as in the Quickstart (its comment has the measurements).
if (Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is null) set_num_threads(1);
bool quick = Array.IndexOf(args, "--quick") >= 0;
string folder = Path.Combine(Directory.GetCurrentDirectory(), "artifacts", "onnx-deploy");
DeploymentResult result = Deployment.Run(quick, folder, Console.Out);
Console.WriteLine(result.Disagreements <= 1
    ? "the two engines agree"
    : $"the engines disagree on {result.Disagreements} images; see docs/onnx.md on float rounding near ties");

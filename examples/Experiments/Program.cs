using System;
using System.IO;
using Experiments;

// The chapter reproduced: `dotnet run -c Release --project examples/Experiments -- <experiment>`, where <experiment> is
// init, symmetry, batchnorm, weightdecay, earlystopping, augmentation, bagging, dropout, noise or all (in chapter order). Figures go to docs/figures/, result tables to docs/results/.
string[] names = { "init", "symmetry", "batchnorm", "weightdecay", "earlystopping", "augmentation", "bagging", "dropout", "noise" };
// `--quick` runs the test twins' sizes and writes into a temporary directory instead of docs/.
bool quick = args.Length == 2 && args[1] == "--quick";
string which = args.Length == 1 || quick ? args[0] : "";
if (which != "all" && Array.IndexOf(names, which) < 0)
{
    Console.Error.WriteLine($"usage: Experiments <{string.Join(" | ", names)} | all> [--quick]");
    return 2;
}
// One intra-op thread: these models are small, and on a shared two-core machine libtorch's thread pool costs far more
// than it saves (measured here: the quick batch-norm run took 100 s with the default threads, 3 s with one).
TorchSharp.torch.set_num_threads(1);
string docs = quick ? Directory.CreateTempSubdirectory("experiments-").FullName : Path.Combine(Reporting.RepositoryRoot(), "docs");
ExperimentSize size = quick ? ExperimentSize.Quick : ExperimentSize.Full;
foreach (string name in names)
{
    if (which != "all" && which != name) continue;
    var watch = System.Diagnostics.Stopwatch.StartNew();
    string markdown = name switch
    {
        "init" => Reporting.Init(InitExperiment.Run(size), docs),
        "symmetry" => Reporting.Symmetry(SymmetryExperiment.Run(size)),
        "batchnorm" => Reporting.BatchNorm(BatchNormExperiment.Run(size), docs),
        "weightdecay" => Reporting.WeightDecay(WeightDecayExperiment.Run(size), docs),
        "earlystopping" => Reporting.EarlyStopping(EarlyStoppingExperiment.Run(size), docs),
        "augmentation" => Reporting.Augmentation(AugmentationExperiment.Run(size)),
        "bagging" => Reporting.Bagging(BaggingExperiment.Run(size), docs),
        "dropout" => Reporting.Dropout(DropoutExperiment.Run(size)),
        _ => Reporting.Noise(NoiseExperiment.Run(size), docs),
    };
    markdown += $"\n_Produced by `dotnet run -c Release --project examples/Experiments -- {name}{(quick ? " --quick" : "")}` in {watch.Elapsed.TotalSeconds:F0} s._\n";
    string path = Path.Combine(docs, "results", name + ".md");
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    File.WriteAllText(path, markdown);
    Console.WriteLine(markdown);
}
return 0;

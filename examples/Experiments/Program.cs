using System;
using System.IO;
using Experiments;

// The chapter reproduced: `dotnet run -c Release --project examples/Experiments -- <experiment>`, where <experiment> is
// init, symmetry, batchnorm, bagging, noise or all. Figures go to docs/figures/, result tables to docs/results/.
string[] names = { "init", "symmetry", "batchnorm", "bagging", "noise" };
string which = args.Length == 1 ? args[0] : "";
if (which != "all" && Array.IndexOf(names, which) < 0)
{
    Console.Error.WriteLine($"usage: Experiments <{string.Join(" | ", names)} | all>");
    return 2;
}
string docs = Path.Combine(Reporting.RepositoryRoot(), "docs");
foreach (string name in names)
{
    if (which != "all" && which != name) continue;
    var watch = System.Diagnostics.Stopwatch.StartNew();
    string markdown = name switch
    {
        "init" => Reporting.Init(InitExperiment.Run(ExperimentSize.Full), docs),
        "symmetry" => Reporting.Symmetry(SymmetryExperiment.Run(ExperimentSize.Full)),
        "batchnorm" => Reporting.BatchNorm(BatchNormExperiment.Run(ExperimentSize.Full), docs),
        "bagging" => Reporting.Bagging(BaggingExperiment.Run(ExperimentSize.Full), docs),
        _ => Reporting.Noise(NoiseExperiment.Run(ExperimentSize.Full), docs),
    };
    markdown += $"\n_Produced by `dotnet run -c Release --project examples/Experiments -- {name}` in {watch.Elapsed.TotalSeconds:F0} s._\n";
    string path = Path.Combine(docs, "results", name + ".md");
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    File.WriteAllText(path, markdown);
    Console.WriteLine(markdown);
}
return 0;

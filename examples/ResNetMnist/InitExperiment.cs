using System;
using System.IO;
using System.Linq;
using System.Text;
using ModelDsl.Training;
using static TorchSharp.torch;

namespace ResNetMnist;

/// <summary>
/// The first epochs of one network under three residual inits, same data, seed and optimizer as <see cref="ResNetRun"/>:
/// zero-γ (<see cref="ResNet"/>; Goyal et al. 2017), γ = 1 (<see cref="ResNetUnitGamma"/>) and Fixup without any norm
/// (<see cref="ResNetFixup"/>; Zhang, Dauphin and Ma 2019), validated every 43 batches.
/// </summary>
public static class InitExperiment
{
    /// <summary>Trains each variant for <paramref name="epochs"/> epochs; writes one CSV row per check and returns its path.</summary>
    public static string Run(int epochs, string folder)
    {
        var variants = new (string Name, Func<nn.Module<Tensor, Tensor>> Create)[]
        {
            ("zero-γ", () => new ResNet(seed: 42)),
            ("γ = 1", () => new ResNetUnitGamma(seed: 42)),
            ("Fixup without norms", () => new ResNetFixup(seed: 42)),
        };
        var csv = new StringBuilder();
        foreach (var (name, create) in variants)
        {
            using var model = create();
            ResNetResult result = ResNetRun.Run(model, quick: false, epochs, progress: new PlainProgressReporter(Console.Out), checkEveryBatches: 43);
            string[] lines = result.History.ToCsv().TrimEnd('\n').Split('\n');
            if (csv.Length == 0) csv.Append("variant,").Append(lines[0]).Append('\n');
            foreach (string line in lines.Skip(1)) csv.Append(name).Append(',').Append(line).Append('\n');
            Console.WriteLine($"{name}: test accuracy {result.TestAccuracy:P2} after {result.Epochs} epoch(s), {result.Seconds:0} s");
        }
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "init-experiment.csv");
        File.WriteAllText(path, csv.ToString());
        return path;
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using ModelDsl.Weights;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// <c>weights</c> sub-command: constructing a ResNet-50-sized model and loading its weights, on the CPU, in one process.
/// The DSL's <see cref="ResNet50"/> is saved with random weights to a temporary .safetensors and .pt file, torchvision's
/// <c>resnet50()</c> (TorchSharp's TorchVision package, same parameter count) to its own pair through TorchSharp.PyBridge,
/// so each file's names are its model's. Each round times, in an order rotated every round: the generated constructor
/// with its declared init then <see cref="ModuleWeights.LoadWeights"/>; <see cref="ModuleWeights.FromFile{TModel}"/>
/// (constructor without the declared init, then the same strict load); torchvision's <c>resnet50()</c> then PyBridge's
/// <c>load_safetensors</c>/<c>load_py</c>; and, to split the costs, the constructors alone (with and without init,
/// torchvision's) and a floor: <c>torch.empty</c> of every parameter and buffer shape, what construction would cost with no
/// init at all, and that floor plus TorchSharp's constructor init (<c>kaiming_uniform_</c> on every convolution and linear
/// weight), which <see cref="SkipInitialization"/> cannot skip. Medians and quartiles over the rounds, in milliseconds.
/// </summary>
internal static class WeightsLoading
{
    public static int Run(int rounds, int threads)
    {
        set_num_threads(threads);
        TorchNative.EnsureLoaded();
        string folder = Directory.CreateTempSubdirectory("modeldsl-weights-bench-").FullName;
        try
        {
            string dslSafetensors = Path.Combine(folder, "dsl.safetensors"), dslPt = Path.Combine(folder, "dsl.pt");
            string tvSafetensors = Path.Combine(folder, "torchvision.safetensors"), tvPt = Path.Combine(folder, "torchvision.pt");
            long[][] shapes, weightShapes;
            using (var dsl = new ResNet50(seed: 1))
            {
                dsl.SaveWeights(dslSafetensors);
                dsl.SaveWeights(dslPt);
                shapes = dsl.state_dict().Values.Select(t => t.shape).ToArray();
                // What TorchSharp's Conv2d and Linear constructors initialize (the Linear's bias, 1,000 numbers, left out).
                weightShapes = dsl.parameters().Where(p => p.dim() >= 2).Select(p => p.shape).ToArray();
                Console.WriteLine($"DSL ResNet50: {Count(dsl):N0} parameters, {dsl.state_dict().Count} tensors");
            }
            using (var tv = torchvision.models.resnet50())
            {
                tv.save_safetensors(tvSafetensors);
                tv.save_py(tvPt);
                Console.WriteLine($"torchvision resnet50: {Count(tv):N0} parameters, {tv.state_dict().Count} tensors");
            }
            foreach (string file in new[] { dslSafetensors, dslPt, tvSafetensors, tvPt })
                Console.WriteLine($"  {Path.GetFileName(file)}: {new FileInfo(file).Length / 1e6:F1} MB");

            var variants = new (string Name, Action Body)[]
            {
                ("(a) DSL ctor with init + LoadWeights .safetensors", () => { using var m = new ResNet50(); m.LoadWeights(dslSafetensors); }),
                ("(b) FromFile (no init) .safetensors", () => ModuleWeights.FromFile(dslSafetensors, () => new ResNet50()).Dispose()),
                ("(c) torchvision resnet50() + PyBridge load_safetensors", () => { using var m = torchvision.models.resnet50(); m.load_safetensors(tvSafetensors); }),
                ("(a) DSL ctor with init + LoadWeights .pt", () => { using var m = new ResNet50(); m.LoadWeights(dslPt); }),
                ("(b) FromFile (no init) .pt", () => ModuleWeights.FromFile(dslPt, () => new ResNet50()).Dispose()),
                ("(c) torchvision resnet50() + PyBridge load_py .pt", () => { using var m = torchvision.models.resnet50(); m.load_py(tvPt); }),
                ("DSL ctor with init only", () => new ResNet50().Dispose()),
                ("DSL ctor inside SkipInitialization only", () => { using (SkipInitialization.Begin()) new ResNet50().Dispose(); }),
                ("torchvision resnet50() only", () => torchvision.models.resnet50().Dispose()),
                ("floor: torch.empty of every shape", () => { using var scope = NewDisposeScope(); foreach (long[] s in shapes) empty(s); }),
                ("TorchSharp's layer init alone: kaiming_uniform_ on every weight", () =>
                {
                    using var scope = NewDisposeScope();
                    using var noGrad = no_grad();
                    foreach (long[] s in weightShapes) nn.init.kaiming_uniform_(empty(s), Math.Sqrt(5));
                }),
            };

            foreach (var (_, body) in variants) body(); // warm-up
            var times = variants.Select(_ => new List<double>()).ToArray();
            for (int r = 0; r < rounds; r++)
            {
                for (int k = 0; k < variants.Length; k++)
                {
                    int v = (k + r) % variants.Length;
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    var watch = Stopwatch.StartNew();
                    variants[v].Body();
                    times[v].Add(watch.Elapsed.TotalMilliseconds);
                }
            }

            Console.WriteLine($"{rounds} rounds, {threads} thread(s), variants interleaved (order rotated each round); ms: median [q1, q3]");
            for (int v = 0; v < variants.Length; v++)
            {
                double[] sorted = times[v].OrderBy(t => t).ToArray();
                Console.WriteLine($"  {variants[v].Name,-58} {Quantile(sorted, 0.5),8:F1} [{Quantile(sorted, 0.25):F1}, {Quantile(sorted, 0.75):F1}]");
            }
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static long Count(nn.Module module) => module.parameters().Sum(p => p.numel());

    /// <summary>Linear interpolation between order statistics (numpy's default).</summary>
    private static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using ModelDsl.Onnx;
using ModelDsl.Weights;
using TorchSharp;
using Zoo;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// <c>zoo [rounds] [calls per block] [arch…]</c> sub-command, one thread, one process, the two sides alternating in
/// blocks (order swapped every round) so both see the same machine load; each ratio is the median of the per-round
/// ratios, with quartiles.
/// (1) examples/Zoo's declarations ÷ TorchSharp's TorchVision 0.107 (hand-written C# ports of torchvision) for the
///     architectures it has, both with the same weights (the formula weights under torchvision's keys): eval at batch 1
///     and a train step (forward, cross-entropy, backward, SGD step) at batch 8. Goal: ≤ 1.02. Then the forward alone in
///     training mode, which says whether a training step's difference is in the forward or in the backward; then the
///     same two rows for a second TorchVision instance against the first (a control: what the harness measures between
///     two copies of one model, whose code is the same, on this machine).
/// (2) ONNX Runtime ÷ TorchSharp at batch 1 for every zoo architecture (the declaration's own export). Aim: ≤ 0.7.
/// </summary>
internal static class ZooSpeed
{
    private static readonly Dictionary<string, Func<nn.Module<Tensor, Tensor>>> TorchVision = new()
    {
        ["resnet18"] = () => torchvision.models.resnet18(),
        ["resnet50"] = () => torchvision.models.resnet50(),
        ["mobilenet_v2"] = () => torchvision.models.mobilenet_v2(),
        ["googlenet"] = () => torchvision.models.googlenet(),
    };

    public static int Run(int rounds, int callsPerBlock, string[] names)
    {
        set_num_threads(1);
        TorchNative.EnsureLoaded();
        IEnumerable<Architecture> architectures = names.Length == 0 ? ZooCatalog.All : names.Select(ZooCatalog.Find);
        foreach (Architecture architecture in architectures)
        {
            using nn.Module model = architecture.Create();
            Dictionary<string, Tensor> weights = ZooFormula.StateDict(WeightRenames.Of(model.GetType())
                .Apply(model.state_dict(), toModel: false).Select(p => (p.Key, p.Value.shape)));
            string file = Path.Combine(Path.GetTempPath(), $"zoo-{architecture.Name}-{Environment.ProcessId}.pt");
            WeightsFile.Write(file, weights);
            try
            {
                model.LoadWeights(file);
            }
            finally
            {
                File.Delete(file);
            }
            Console.WriteLine($"{architecture.Name}:");
            if (TorchVision.TryGetValue(architecture.Name, out var create))
            {
                using var reference = create();
                reference.load_state_dict(weights, strict: true);
                var classifier = (nn.Module<Tensor, Tensor>)model; // the four with TorchVision ports are classifiers
                CompareEval(classifier, reference, rounds, callsPerBlock);
                CompareTrainStep(classifier, reference, rounds, callsPerBlock);
                // The harness's own spread: a second TorchVision instance with the same weights against the first.
                using var control = create();
                control.load_state_dict(weights, strict: true);
                CompareTrainStep(control, reference, rounds, callsPerBlock, "control, TorchVision ÷ TorchVision");
            }
            CompareOnnx(architecture, model, rounds, callsPerBlock);
            foreach (Tensor t in weights.Values) t.Dispose();
        }
        return 0;
    }

    private static void CompareEval(nn.Module<Tensor, Tensor> model, nn.Module<Tensor, Tensor> reference, int rounds, int calls)
    {
        using Tensor input = randn(1, 3, 224, 224, generator: new torch.Generator(1));
        model.eval();
        reference.eval();
        using (no_grad())
        {
            using Tensor expected = reference.forward(input);
            double difference = (model.forward(input) - expected).abs().max().item<float>();
            double scale = expected.abs().max().item<float>();
            Report("  eval batch 1, declared ÷ TorchVision", Interleave(() => Eval(model, input), () => Eval(reference, input), rounds, calls),
                   $" (outputs differ by {difference:G3}, the largest |output| {scale:G3})");
        }
    }

    private static void Eval(nn.Module<Tensor, Tensor> module, Tensor input)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        module.forward(input);
    }

    /// <summary>Eval of a zoo model through its architecture's forward (a segmentation model returns several outputs).</summary>
    private static void Eval(Architecture architecture, nn.Module model, Tensor input)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        architecture.Forward(model, input);
    }

    private static void CompareTrainStep(nn.Module<Tensor, Tensor> model, nn.Module<Tensor, Tensor> reference, int rounds, int calls, string sides = "declared ÷ TorchVision")
    {
        using Tensor input = randn(8, 3, 224, 224, generator: new torch.Generator(2));
        using Tensor target = randint(0, 1000, new long[] { 8 }, generator: new torch.Generator(3));
        model.train();
        reference.train();
        // A tiny learning rate keeps the weights, and so the work, the same through the run.
        using var modelOptimizer = optim.SGD(model.parameters(), 1e-9);
        using var referenceOptimizer = optim.SGD(reference.parameters(), 1e-9);
        Report($"  train step batch 8, {sides}", Interleave(() => Step(model, modelOptimizer, input, target), () => Step(reference, referenceOptimizer, input, target), rounds, calls), "");
        // A step that faults in fresh pages on every call measures the kernel's page handling, not the model.
        Console.WriteLine($"    minor page faults per step: {PageFaults.PerCall(() => Step(model, modelOptimizer, input, target), calls):F0} against " +
                          $"{PageFaults.PerCall(() => Step(reference, referenceOptimizer, input, target), calls):F0}");
        // Where a training step's difference lies: the forward alone in training mode, building the autograd graph.
        Report("    of which forward in training mode", Interleave(() => TrainForward(model, input, target), () => TrainForward(reference, input, target), rounds, calls), "");
        model.eval();
    }

    private static void Step(nn.Module<Tensor, Tensor> module, optim.Optimizer optimizer, Tensor input, Tensor target)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        nn.functional.cross_entropy(module.forward(input), target).backward();
        optimizer.step();
    }

    private static void TrainForward(nn.Module<Tensor, Tensor> module, Tensor input, Tensor target)
    {
        using var scope = NewDisposeScope();
        nn.functional.cross_entropy(module.forward(input), target);
    }

    private static void CompareOnnx(Architecture architecture, nn.Module model, int rounds, int calls)
    {
        using var stream = new MemoryStream();
        ((IOnnxExportable)model).ExportOnnx(stream);
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(stream.ToArray(), options);
        using Tensor input = randn(1, 3, 224, 224, generator: new torch.Generator(1));
        using var value = OrtValue.CreateTensorValueFromMemory(input.data<float>().ToArray(), new long[] { 1, 3, 224, 224 });
        using var runOptions = new RunOptions();
        string[] inputNames = { session.InputMetadata.Keys.Single() };
        string[] outputNames = session.OutputMetadata.Keys.ToArray();
        OrtValue[] inputs = { value };
        model.eval();
        Report("  eval batch 1, ONNX Runtime ÷ TorchSharp", Interleave(() => { using var o = session.Run(runOptions, inputNames, inputs, outputNames); }, () => Eval(architecture, model, input), rounds, calls), "");
    }

    /// <summary>Per-round time ratios first ÷ second, and each side's median milliseconds per call.</summary>
    private static (double[] Ratios, double First, double Second) Interleave(Action first, Action second, int rounds, int calls)
    {
        for (int i = 0; i < Math.Max(2, calls); i++) { first(); second(); }
        var a = new double[rounds];
        var b = new double[rounds];
        var ratios = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            if (r % 2 == 0) { a[r] = Time(first, calls); b[r] = Time(second, calls); }
            else { b[r] = Time(second, calls); a[r] = Time(first, calls); }
            ratios[r] = a[r] / b[r];
        }
        return (ratios, InterleavedOverhead.Median(a), InterleavedOverhead.Median(b));
    }

    private static void Report(string title, (double[] Ratios, double First, double Second) m, string suffix)
        => Console.WriteLine($"{title}: {InterleavedOverhead.Median(m.Ratios):F3} (quartiles {InterleavedOverhead.Quantile(m.Ratios, 0.25):F3}–{InterleavedOverhead.Quantile(m.Ratios, 0.75):F3}); " +
                             $"{m.First:F1} against {m.Second:F1} ms per call{suffix}");

    private static double Time(Action call, int calls)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++) call();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds / calls;
    }
}

using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using ModelDsl.Benchmarks.Runtime;
using ModelDsl.Onnx;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Onnx;

/// <summary>
/// <c>onnx</c> sub-command: eval latency of the card MLP and the MNIST CNN in ONNX Runtime against TorchSharp's eval
/// forward, at batch 1 and 128, one thread each, in one process. The engines alternate in short blocks (order swapped
/// every round) so both see the same machine load; the ratio ORT/TorchSharp is the median of the per-round ratios. The
/// model's forward and its batch-norm-folded forward (<c>model.Folded()</c>, what the exported graph computes) are timed
/// as two TorchSharp engines. Also the export's time and the file's size. Goal (issue #19): ORT at batch 1 ≤ 0.5×
/// TorchSharp's time.
/// </summary>
internal static class OnnxLatency
{
    public static int Run(int rounds, int callsPerBlock)
    {
        set_num_threads(1);
        TorchNative.EnsureLoaded();
        Measure("card MLP [B, 784]", new CardMlp(seed: 42), rounds, callsPerBlock);
        Measure("MNIST CNN [B, 1, 28, 28]", new CardCnn(seed: 42), rounds, callsPerBlock);
        return 0;
    }

    private static void Measure<TModel>(string title, TModel model, int rounds, int callsPerBlock) where TModel : nn.Module<Tensor, Tensor>, IOnnxExportable, IGeneratedModel
    {
        var exportTimes = new double[5];
        byte[] onnx = Array.Empty<byte>();
        for (int i = 0; i < exportTimes.Length; i++)
        {
            using var stream = new MemoryStream();
            long start = Stopwatch.GetTimestamp();
            model.ExportOnnx(stream);
            exportTimes[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            onnx = stream.ToArray();
        }
        Console.WriteLine($"{title}: export {InterleavedOverhead.Median(exportTimes):F1} ms (median of 5), file {onnx.Length / 1024.0:N0} KiB, opset {OnnxExport.Opset}");

        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(onnx, options);
        using FoldedInference folded = model.Folded();
        using var mode = model.Evaluating();
        foreach (long batch in new long[] { 1, 128 })
        {
            long[] shape = new[] { batch }.Concat(model.InputShape).ToArray();
            using Tensor input = randn(shape, generator: new TorchSharp.torch.Generator(1));
            float[] data = input.data<float>().ToArray();
            using var value = OrtValue.CreateTensorValueFromMemory(data, shape);
            using var runOptions = new RunOptions();
            string[] inputNames = { "input" }, outputNames = { "output" };
            OrtValue[] inputs = { value };

            void Torch()
            {
                using var scope = NewDisposeScope();
                model.forward(input);
            }
            void Folded()
            {
                using var scope = NewDisposeScope();
                folded.forward(input);
            }
            void Ort()
            {
                using var outputs = session.Run(runOptions, inputNames, inputs, outputNames);
            }

            for (int i = 0; i < callsPerBlock; i++) { Torch(); Folded(); Ort(); } // warm-up
            var torchTimes = new double[rounds];
            var foldedTimes = new double[rounds];
            var ortTimes = new double[rounds];
            var ratios = new double[rounds];
            var foldedRatios = new double[rounds];
            for (int r = 0; r < rounds; r++)
            {
                if (r % 2 == 0) { torchTimes[r] = Time(Torch, callsPerBlock); foldedTimes[r] = Time(Folded, callsPerBlock); ortTimes[r] = Time(Ort, callsPerBlock); }
                else { ortTimes[r] = Time(Ort, callsPerBlock); foldedTimes[r] = Time(Folded, callsPerBlock); torchTimes[r] = Time(Torch, callsPerBlock); }
                ratios[r] = ortTimes[r] / torchTimes[r];
                foldedRatios[r] = ortTimes[r] / foldedTimes[r];
            }
            Console.WriteLine($"  batch {batch}: TorchSharp {InterleavedOverhead.Median(torchTimes):F1} µs, ONNX Runtime {InterleavedOverhead.Median(ortTimes):F1} µs per call; " +
                              $"ratio ORT/TorchSharp median {InterleavedOverhead.Median(ratios):F3} (quartiles {InterleavedOverhead.Quantile(ratios, 0.25):F3}–{InterleavedOverhead.Quantile(ratios, 0.75):F3})");
            string foldedNote = folded.CanFold ? $"{folded.FoldedPairs} pair(s) folded" : $"not folded: {folded.NotFoldedReason}";
            Console.WriteLine($"  batch {batch}: TorchSharp folded ({foldedNote}) {InterleavedOverhead.Median(foldedTimes):F1} µs per call; " +
                              $"ratio ORT/folded median {InterleavedOverhead.Median(foldedRatios):F3} (quartiles {InterleavedOverhead.Quantile(foldedRatios, 0.25):F3}–{InterleavedOverhead.Quantile(foldedRatios, 0.75):F3})");
        }
    }

    /// <summary>Microseconds per call over a block of calls.</summary>
    private static double Time(Action call, int calls)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++) call();
        return Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls;
    }
}

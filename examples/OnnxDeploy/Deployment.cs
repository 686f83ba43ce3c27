using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using ModelDsl;
using ModelDsl.Data;
using ModelDsl.Onnx;
using ModelDsl.Training;
using Quickstart;
using static TorchSharp.torch;

namespace OnnxDeploy;

/// <summary>What a deployment run measured.</summary>
/// <param name="TorchAccuracy">TorchSharp's eval-mode test accuracy.</param>
/// <param name="OnnxAccuracy">ONNX Runtime's test accuracy on the exported file.</param>
/// <param name="Disagreements">Test images the two engines classify differently.</param>
/// <param name="MaxLogitDifference">The largest |ORT − TorchSharp| over all test logits.</param>
/// <param name="FileBytes">The .onnx file's size.</param>
/// <param name="ExportMilliseconds">ExportOnnx's wall time.</param>
/// <param name="TorchMicroseconds">TorchSharp's median eval latency for one image, one thread.</param>
/// <param name="OnnxMicroseconds">ONNX Runtime's median latency for one image, one thread.</param>
public sealed record DeploymentResult(double TorchAccuracy, double OnnxAccuracy, int Disagreements, double MaxLogitDifference,
    long FileBytes, double ExportMilliseconds, double TorchMicroseconds, double OnnxMicroseconds);

/// <summary>
/// Trains the Quickstart network briefly, exports it with <see cref="OnnxExport"/>, runs the MNIST test set through
/// ONNX Runtime, and compares accuracy, logits and batch-1 latency with TorchSharp.
/// </summary>
public static class Deployment
{
    /// <param name="quick">Train one epoch on 5,000 images and test on 1,000 (the CI twin); otherwise two epochs on 55,000 and the whole test set.</param>
    /// <param name="folder">Where mlp.onnx is written.</param>
    /// <param name="log">Progress and results.</param>
    public static DeploymentResult Run(bool quick, string folder, TextWriter log)
    {
        using var mnist = MnistSplits.Load(validation: 5_000, 784);
        using LabeledData train = quick ? mnist.Train.Slice(0, 5_000) : mnist.Train.Slice(0, mnist.Train.Count);
        using LabeledData test = quick ? mnist.Test.Slice(0, 1_000) : mnist.Test.Slice(0, mnist.Test.Count);

        var model = new Mlp(seed: 42);
        var trainer = new Trainer(model, optim.Adam(model.parameters(), lr: 1e-3), new TrainerOptions
        {
            Epochs = quick ? 1 : 2,
            BatchSize = 128,
            Seed = 42,
            Progress = ProgressReporters.Auto(),
        });
        trainer.Fit(train, mnist.Validation);

        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "mlp.onnx");
        var clock = Stopwatch.StartNew();
        model.ExportOnnx(path);
        double exportMs = clock.Elapsed.TotalMilliseconds;
        long bytes = new FileInfo(path).Length;
        log.WriteLine($"exported {path}: {bytes / 1024.0:N0} KiB in {exportMs:N0} ms (opset {OnnxExport.Opset})");

        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(path, options);
        using var scope = NewDisposeScope();
        Tensor torchLogits;
        using (model.Evaluating()) torchLogits = model.forward(test.Inputs);
        Tensor onnxLogits = RunOnnx(session, test.Inputs);

        Tensor torchClasses = torchLogits.argmax(-1), onnxClasses = onnxLogits.argmax(-1);
        double torchAccuracy = torchClasses.eq(test.Labels).to(ScalarType.Float64).mean().item<double>();
        double onnxAccuracy = onnxClasses.eq(test.Labels).to(ScalarType.Float64).mean().item<double>();
        int disagreements = (int)torchClasses.ne(onnxClasses).sum().item<long>();
        double maxDifference = (torchLogits - onnxLogits).abs().max().item<float>();
        log.WriteLine($"test accuracy on {test.Count:N0} images: TorchSharp {torchAccuracy:P2}, ONNX Runtime {onnxAccuracy:P2}; " +
                      $"{disagreements} images classified differently; max |logit difference| {maxDifference:G3}");

        (double torchUs, double onnxUs) = BatchOneLatency(model, session, test.Inputs, rounds: quick ? 50 : 500);
        log.WriteLine($"batch-1 latency, one thread, median: TorchSharp {torchUs:N0} µs, ONNX Runtime {onnxUs:N0} µs ({onnxUs / torchUs:0.00}×)");
        return new DeploymentResult(torchAccuracy, onnxAccuracy, disagreements, maxDifference, bytes, exportMs, torchUs, onnxUs);
    }

    /// <summary>The whole input through the session in batches of 1,000 (float32 [N, 784] → logits [N, 10]).</summary>
    public static Tensor RunOnnx(InferenceSession session, Tensor inputs)
    {
        var parts = new Tensor[(int)((inputs.shape[0] + 999) / 1000)];
        for (int i = 0; i < parts.Length; i++)
        {
            Tensor batch = inputs.narrow(0, i * 1000L, Math.Min(1000, inputs.shape[0] - i * 1000L)).contiguous();
            using var value = OrtValue.CreateTensorValueFromMemory(batch.data<float>().ToArray(), batch.shape);
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, new[] { "input" }, new[] { value }, new[] { "output" });
            parts[i] = tensor(outputs[0].GetTensorDataAsSpan<float>().ToArray()).reshape(batch.shape[0], -1);
        }
        return cat(parts, 0);
    }

    /// <summary>Median single-image latency of each engine, interleaved round by round so both see the same machine load.</summary>
    private static (double Torch, double Onnx) BatchOneLatency(Mlp model, InferenceSession session, Tensor inputs, int rounds)
    {
        var torchTimes = new double[rounds];
        var onnxTimes = new double[rounds];
        int threads = get_num_threads();
        set_num_threads(1);
        try
        {
            using var mode = model.Evaluating();
            float[] one = new float[784];
            using var runOptions = new RunOptions();
            for (int round = 0; round < rounds; round++)
            {
                using var scope = NewDisposeScope();
                Tensor image = inputs.narrow(0, round % inputs.shape[0], 1);
                image.data<float>().CopyTo(one, 0);
                long start = Stopwatch.GetTimestamp();
                using (NewDisposeScope()) model.forward(image);
                torchTimes[round] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;

                start = Stopwatch.GetTimestamp();
                using (var value = OrtValue.CreateTensorValueFromMemory(one, new long[] { 1, 784 }))
                using (var outputs = session.Run(runOptions, new[] { "input" }, new[] { value }, new[] { "output" })) { }
                onnxTimes[round] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
        }
        finally
        {
            set_num_threads(threads);
        }
        return (Median(torchTimes), Median(onnxTimes));
    }

    private static double Median(double[] values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}

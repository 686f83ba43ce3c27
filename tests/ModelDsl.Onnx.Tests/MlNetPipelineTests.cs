using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using ModelDsl.Onnx;
using OnnxModels;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Onnx.Tests;

/// <summary>
/// An exported model in an ML.NET pipeline: <c>ApplyOnnxModel</c> (Microsoft.ML.OnnxTransformer, ONNX Runtime inside)
/// scores rows of 784 floats, and its outputs equal the TorchSharp model's eval outputs.
/// </summary>
public class MlNetPipelineTests
{
    public sealed class Digit
    {
        [ColumnName("input"), VectorType(784)]
        public float[] Pixels { get; set; } = [];
    }

    public sealed class Scores
    {
        [ColumnName("output")]
        public float[] Logits { get; set; } = [];
    }

    [Fact]
    public void ApplyOnnxModel_scores_as_the_model_does()
    {
        using var model = new Mlp(seed: 8);
        OrtRun.Train(model, new long[] { 784 });   // moves the batch norm's running statistics off 0 and 1
        model.eval();
        string path = Path.Combine(Path.GetTempPath(), $"modeldsl-mlnet-{System.Guid.NewGuid():N}.onnx");
        try
        {
            model.ExportOnnx(path);
            using var scope = NewDisposeScope();
            Tensor inputs = rand(new long[] { 20, 784 }, generator: new TorchSharp.torch.Generator(80));
            Tensor expected;
            using (no_grad()) expected = model.forward(inputs);

            var ml = new MLContext(seed: 1);
            IDataView rows = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 20)
                .Select(i => new Digit { Pixels = inputs[i].data<float>().ToArray() }).ToList());
            // The graph's batch dimension is symbolic; ML.NET scores one row at a time, so it is fixed at 1 here.
            var pipeline = ml.Transforms.ApplyOnnxModel(
                outputColumnNames: new[] { "output" }, inputColumnNames: new[] { "input" }, modelFile: path,
                shapeDictionary: new Dictionary<string, int[]> { ["input"] = new[] { 1, 784 } },
                gpuDeviceId: null, fallbackToCpu: false, recursionLimit: 100);
            using var transformer = pipeline.Fit(rows);
            Scores[] scored = ml.Data.CreateEnumerable<Scores>(transformer.Transform(rows), reuseRowObject: false).ToArray();

            Assert.Equal(20, scored.Length);
            Tensor actual = tensor(scored.SelectMany(s => s.Logits).ToArray()).reshape(20, 10);
            double difference = (actual - expected).abs().max().item<float>();
            double scale = System.Math.Max(1.0, expected.abs().max().item<float>());
            Assert.InRange(difference, 0, OrtRun.Tolerance * scale);   // 5.4e-7 measured, the logits up to 1.26
        }
        finally
        {
            File.Delete(path);
        }
    }
}

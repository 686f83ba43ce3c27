using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using OnnxModels;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Onnx.Tests;

/// <summary>Neighbours of the examples that no other test names.</summary>
public class NeighbourTests
{
    [Fact]
    public void A_model_moved_to_float64_exports_a_double_graph_that_onnx_runtime_runs()
    {
        var model = new Mlp(seed: 1);
        model.to(ScalarType.Float64);
        byte[] onnx = OrtRun.Export(s => model.ExportOnnx(s));
        using var session = OrtRun.Session(onnx);
        using var scope = NewDisposeScope();
        Tensor input = randn(new long[] { 3, 784 }, ScalarType.Float64, generator: new Generator(3));
        Tensor expected;
        using (model.Evaluating()) expected = model.forward(input);
        using var value = OrtValue.CreateTensorValueFromMemory(input.data<double>().ToArray(), input.shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, new[] { "input" }, new[] { value }, new[] { "output" });
        Tensor actual = tensor(outputs[0].GetTensorDataAsSpan<double>().ToArray(), ScalarType.Float64).reshape(3, 10);
        Assert.True(actual.allclose(expected, rtol: 0, atol: 1e-10));
    }
}

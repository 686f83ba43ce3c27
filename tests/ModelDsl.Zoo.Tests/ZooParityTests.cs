using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using ModelDsl.Onnx;
using ModelDsl.Weights;
using TorchSharp;
using Xunit;
using Zoo;
using static TorchSharp.torch;

namespace ModelDsl.Zoo.Tests;

/// <summary>
/// Every zoo declaration against torchvision 0.14: the same state_dict (keys as written to a weights file, shapes,
/// parameter count), a torchvision-named file loading strictly, and the same eval output on formula weights and input
/// (ZooFormula; the fixture holds torchvision's output, written by parity/fixtures.py) within 1e-4 · max(1, max |y|),
/// the issue's float32 tolerance for a whole network; then ONNX Runtime on the exported model within the same bound.
/// </summary>
public sealed class ZooParityTests
{
    public static TheoryData<string> Architectures => new(ZooCatalog.All.Select(a => a.Name));

    [Theory, MemberData(nameof(Architectures))]
    public void The_state_dict_is_torchvisions(string name)
    {
        Architecture architecture = ZooCatalog.Find(name);
        using nn.Module model = architecture.Create();
        var expected = TorchvisionManifest.Of(name).ToDictionary(k => k.Key, k => string.Join(",", k.Shape));
        var actual = WeightRenames.Of(model.GetType()).Apply(model.state_dict(), toModel: false)
            .ToDictionary(k => k.Key, k => string.Join(",", k.Value.shape));
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, shape) in expected) Assert.True(shape == actual[key], $"{key}: torchvision [{shape}], declared [{actual[key]}]");
    }

    [Theory, MemberData(nameof(Architectures))]
    public void Eval_outputs_equal_torchvisions_and_onnx_runtimes(string name)
    {
        Architecture architecture = ZooCatalog.Find(name);
        string directory = Directory.CreateTempSubdirectory("zoo").FullName;
        try
        {
            using var scope = NewDisposeScope();
            string weights = Path.Combine(directory, "weights.pt");
            WeightsFile.Write(weights, ZooFormula.StateDict(TorchvisionManifest.Of(name)));
            using nn.Module model = ModuleWeights.FromFile(weights, architecture.Create);
            model.eval();
            Tensor input = ZooFormula.Value("input", new long[] { 2, 3, 224, 224 });
            IReadOnlyDictionary<string, Tensor> outputs;
            using (no_grad()) outputs = architecture.Forward(model, input);
            Dictionary<string, Tensor> expected = WeightsFile.Read(TorchvisionManifest.FixturePath(name));
            Assert.Equal(expected.Keys.Order(), outputs.Keys.Order());
            foreach (var (key, want) in expected)
            {
                Tensor got = outputs[key];
                if (got.dim() == 4 && !got.shape.SequenceEqual(want.shape)) got = got[.., .., TensorIndex.Slice(step: 8), TensorIndex.Slice(step: 8)];
                AssertClose($"{name} {key}", want, got);
            }

            string onnx = Path.Combine(directory, "model.onnx");
            ((IOnnxExportable)model).ExportOnnx(onnx);
            using var session = new InferenceSession(onnx);
            Tensor single = input[..1];
            IReadOnlyDictionary<string, Tensor> torchOne;
            using (no_grad()) torchOne = architecture.Forward(model, single);
            var feed = new[] { NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(),
                new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>(single.contiguous().data<float>().ToArray(), new[] { 1, 3, 224, 224 })) };
            using var results = session.Run(feed);
            foreach (var result in results)
            {
                string key = torchOne.Count == 1 ? torchOne.Keys.Single() : torchOne.Keys.Single(k => string.Equals(k, result.Name, StringComparison.OrdinalIgnoreCase));
                Tensor want = torchOne[key];
                AssertClose($"{name} ONNX {key}", want, tensor(result.AsEnumerable<float>().ToArray()).reshape(want.shape));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void AssertClose(string what, Tensor expected, Tensor actual)
    {
        Assert.True(expected.shape.SequenceEqual(actual.shape), $"{what}: shape [{string.Join(", ", actual.shape)}], expected [{string.Join(", ", expected.shape)}]");
        double scale = Math.Max(1, expected.abs().max().item<float>());
        double difference = (expected - actual).abs().max().item<float>();
        Assert.True(difference <= 1e-4 * scale, $"{what}: max difference {difference:G4} > 1e-4 · {scale:G4}");
    }
}

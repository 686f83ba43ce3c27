using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using ModelDsl.Onnx.Tests.Graphs;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Onnx.Tests.Graphs
{
    /// <summary>Inception-style: branches of a stem joined by concatenation, with batch norm (folded on export).</summary>
    [Model(1, 8, 8), Ensemble(2, Seed = 4)]
    public partial class InceptionNet
    {
        [Conv2d(6, 3, Padding = 1), BatchNorm, ReLU] public partial Sequential Stem { get; }
        [From(nameof(Stem)), Conv2d(3, 1), ReLU] public partial Sequential Branch1 { get; }
        [From(nameof(Stem)), Conv2d(5, 3, Padding = 1), ReLU] public partial Sequential Branch3 { get; }
        [Concatenate(nameof(Branch1), nameof(Branch3)), MaxPool2d(2)] public partial Sequential Mixed { get; }
        [GlobalAvgPool, Dense(4)] public partial Sequential Head { get; }
    }

    /// <summary>Every merge once, on vectors, with layers on the class before the blocks.</summary>
    [Model(6)]
    [Dense(8), ReLU]
    public partial class MergeNet
    {
        [Dense(8), Tanh] public partial Sequential A { get; }
        [From(nameof(A)), Dense(8), Sigmoid] public partial Sequential B { get; }
        [Add(nameof(A), nameof(B))] public partial Sequential Sum { get; }
        [Multiply(nameof(Sum), nameof(B), nameof(A))] public partial Sequential Product { get; }
        [Average(nameof(Product), nameof(Sum))] public partial Sequential Mean { get; }
        [Concatenate(nameof(Mean), nameof(A)), Dense(3)] public partial Sequential Head { get; }
    }

    /// <summary>Two inputs and two outputs, with a squeeze-excitation gate broadcast over the image.</summary>
    [Model]
    [Input("image", 2, 6, 6), Input("meta", 3)]
    public partial class TwoInTwoOut
    {
        [From("image"), Conv2d(4, 3, Padding = 1), ReLU] public partial Sequential Features { get; }
        [AvgPool2d(6), Conv2d(2, 1), ReLU, Conv2d(4, 1), Sigmoid] public partial Sequential Squeeze { get; }
        [Multiply(nameof(Features), nameof(Squeeze)), GlobalAvgPool] public partial Sequential Pooled { get; }
        [From("meta"), Dense(4), ReLU] public partial Sequential Context { get; }
        [Concatenate(nameof(Pooled), nameof(Context)), Dense(6), ReLU] public partial Sequential Trunk { get; }
        [Dense(5), Output] public partial Sequential Class { get; }
        [From(nameof(Trunk)), Dense(4), Output] public partial Sequential Box { get; }
    }
}

namespace ModelDsl.Onnx.Tests
{
    /// <summary>Graph models in ONNX Runtime: joins as ONNX ops, named inputs and outputs, at batch 1 and 37, and in an ensemble.</summary>
    public class GraphExportTests
    {
        [Fact]
        public void An_inception_model_with_trained_weights_agrees_with_onnx_runtime()
        {
            using var model = new InceptionNet(seed: 1);
            OrtRun.Train(model, new long[] { 1, 8, 8 });
            OrtRun.AssertAgrees(model, OrtRun.Export(s => model.ExportOnnx(s)), new long[] { 1, 8, 8 }, seed: 2);
        }

        [Fact]
        public void Every_merge_and_class_level_layers_agree_with_onnx_runtime()
        {
            using var model = new MergeNet(seed: 3);
            byte[] onnx = OrtRun.Export(s => model.ExportOnnx(s));
            OrtRun.AssertAgrees(model, onnx, new long[] { 6 }, seed: 4);
            var ops = Proto.ModelProto.Parser.ParseFrom(onnx).Graph.Node.Select(n => n.OpType).ToList();
            foreach (string op in new[] { "Sum", "Mul", "Mean", "Concat" }) Assert.Contains(op, ops);
        }

        [Fact]
        public void An_ensemble_of_graph_models_agrees_with_onnx_runtime()
        {
            using var ensemble = new InceptionNetEnsemble();
            OrtRun.AssertAgrees(ensemble, OrtRun.Export(s => ensemble.ExportOnnx(s)), new long[] { 1, 8, 8 }, seed: 5);
        }

        [Fact]
        public void Two_inputs_and_two_outputs_are_named_in_the_graph_and_agree_at_batch_1_and_37()
        {
            using var model = new TwoInTwoOut(seed: 6);
            byte[] onnx = OrtRun.Export(s => model.ExportOnnx(s));
            using InferenceSession session = OrtRun.Session(onnx);
            Assert.Equal(new[] { "image", "meta" }, session.InputMetadata.Keys.ToArray());
            Assert.Equal(new[] { "Class", "Box" }, session.OutputMetadata.Keys.ToArray());
            foreach (long batch in new long[] { 1, 37 })
            {
                using var scope = NewDisposeScope();
                var generator = new Generator((ulong)(10 + batch));
                Tensor image = randn(new long[] { batch, 2, 6, 6 }, generator: generator);
                Tensor meta = randn(new long[] { batch, 3 }, generator: generator);
                TwoInTwoOut.Outputs expected;
                using (model.Evaluating()) expected = model.forward(image, meta);

                using var imageValue = OrtValue.CreateTensorValueFromMemory(image.contiguous().data<float>().ToArray(), image.shape);
                using var metaValue = OrtValue.CreateTensorValueFromMemory(meta.contiguous().data<float>().ToArray(), meta.shape);
                using var runOptions = new RunOptions();
                using var results = session.Run(runOptions, new[] { "image", "meta" }, new[] { imageValue, metaValue }, new[] { "Class", "Box" });
                var actual = results.Select(r => tensor(r.GetTensorDataAsSpan<float>().ToArray()).reshape(r.GetTensorTypeAndShape().Shape)).ToList();
                foreach ((Tensor torch, Tensor ort) in new[] { (expected.Class, actual[0]), (expected.Box, actual[1]) })
                {
                    Assert.Equal(torch.shape, ort.shape);
                    double scale = Math.Max(1, torch.abs().max().item<float>());
                    Assert.True((torch - ort).abs().max().item<float>() <= OrtRun.Tolerance * scale);
                }
            }
        }
    }
}

namespace ModelDsl.Onnx.Tests.Graphs
{
    /// <summary>SqueezeNet's Fire module as a template.</summary>
    [Block]
    public partial class FireModule
    {
        public const int Squeeze = 16, Expand = 64;

        [Conv2d(Squeeze, 1), BatchNorm, ReLU] public partial Sequential SqueezeConv { get; }
        [Conv2d(Expand, 1), ReLU] public partial Sequential Expand1 { get; }
        [From(nameof(SqueezeConv)), Conv2d(Expand, 3, Padding = 1), ReLU] public partial Sequential Expand3 { get; }
        [Concatenate(nameof(Expand1), nameof(Expand3))] public partial Sequential Joined { get; }
    }

    [Model(3, 8, 8)]
    public partial class FireNet
    {
        [Conv2d(8, 3, Padding = 1), ReLU] public partial Sequential Stem { get; }
        [With(nameof(FireModule.Squeeze), 2, nameof(FireModule.Expand), 4)] public partial FireModule Fire2 { get; }
        [With(nameof(FireModule.Squeeze), 3, nameof(FireModule.Expand), 6)] public partial FireModule Fire3 { get; }
        [GlobalAvgPool, Dense(5)] public partial Sequential Head { get; }
    }
}

namespace ModelDsl.Onnx.Tests
{
    public class TemplateExportTests
    {
        [Fact]
        public void A_model_using_a_template_twice_agrees_with_onnx_runtime()
        {
            using var model = new FireNet(seed: 1);
            OrtRun.Train(model, new long[] { 3, 8, 8 });
            byte[] onnx = OrtRun.Export(s => model.ExportOnnx(s));
            OrtRun.AssertAgrees(model, onnx, new long[] { 3, 8, 8 }, seed: 3);
            // The template's layers keep their state_dict names in the graph.
            Assert.Contains(Proto.ModelProto.Parser.ParseFrom(onnx).Graph.Node, n => n.Name.StartsWith("fire3.expand3.conv", System.StringComparison.Ordinal) || n.Output.Any(o => o.StartsWith("fire3.expand3.conv", System.StringComparison.Ordinal)));
        }

        [Fact]
        public void Templates_used_inside_templates_keep_their_nested_names_and_agree_with_onnx_runtime()
        {
            using var model = new OnnxModels.NestedStages(seed: 2);
            OrtRun.Train(model, new long[] { 3, 16, 16 });
            byte[] onnx = OrtRun.Export(s => model.ExportOnnx(s));
            OrtRun.AssertAgrees(model, onnx, new long[] { 3, 16, 16 }, seed: 4);
            // The exporter walks the stage's graph, then each MBConv's inside it: the names are the nested state_dict paths.
            var nodes = Proto.ModelProto.Parser.ParseFrom(onnx).Graph.Node;
            foreach (string path in new[] { "stage2.block1.depthwise.conv", "stage2.block1.sum" })
                Assert.Contains(nodes, n => n.Name.StartsWith(path, System.StringComparison.Ordinal) || n.Output.Any(o => o.StartsWith(path, System.StringComparison.Ordinal)));
        }
    }
}

namespace ModelDsl.Onnx.Tests.Graphs
{
    /// <summary>Pooling with padding and ceil mode, as ResNet's and GoogLeNet's stems pool (odd sizes on purpose).</summary>
    [Model(2, 15, 15)]
    [Conv2d(4, 3, Padding = 1), ReLU, MaxPool2d(3, Stride = 2, Padding = 1), MaxPool2d(3, Stride = 2, CeilMode = true)]
    [AvgPool2d(2, Stride = 2, Padding = 1, CeilMode = true, CountIncludePad = false), Flatten, Dense(3)]
    public partial class PaddedPools { }
}

namespace ModelDsl.Onnx.Tests
{
    public class PoolPaddingExportTests
    {
        [Fact]
        public void Padded_and_ceil_mode_pools_run_at_their_planned_sizes_and_agree_with_onnx_runtime()
        {
            using var model = new PaddedPools(seed: 1);
            // 15 → ⌊(15 + 2 − 3)/2⌋ + 1 = 8 → ⌈(8 − 3)/2⌉ + 1 = 4 → ⌈(4 + 2 − 2)/2⌉ + 1 = 3 (last start 4 < 4 + 1: kept)
            Assert.Contains("[B, 4, 3, 3]", model.Summary());
            using (model.Evaluating()) Assert.Equal(new long[] { 5, 3 }, model.forward(randn(5, 2, 15, 15)).shape);
            OrtRun.AssertAgrees(model, OrtRun.Export(s => model.ExportOnnx(s)), new long[] { 2, 15, 15 }, seed: 7);
        }
    }
}

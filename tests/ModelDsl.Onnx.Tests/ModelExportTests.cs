using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.Onnx;
using OnnxModels;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Onnx.Tests;

/// <summary>Every snapshot model and every layer kind, exported and run in ONNX Runtime, seeded and trained, folded and not.</summary>
public class ModelExportTests
{
    public static IEnumerable<object[]> Models() => Factories.Keys.Select(k => new object[] { k });

    internal static readonly Dictionary<string, Func<IOnnxExportable>> Factories = new()
    {
        ["Mlp"] = () => new Mlp(seed: 1),
        ["BlockNet"] = () => new BlockNet(seed: 2),
        ["PathNamed"] = () => new PathNamed(seed: 22),
        ["AllInits"] = () => new AllInits(seed: 3),
        ["AllLayers"] = () => new AllLayers(seed: 4),
        ["GlobalModel"] = () => new GlobalModel(seed: 5),
        ["MnistCnn"] = () => new MnistCnn(seed: 6),
        ["NormZoo"] = () => new NormZoo(seed: 7),
        ["SameCnn"] = () => new SameCnn(seed: 8),
        ["Grouped"] = () => new Grouped(seed: 9),
        ["FeatureNorms"] = () => new FeatureNorms(seed: 10),
        ["SequenceNet"] = () => new SequenceNet(seed: 14),
        ["GruThenLstm"] = () => new GruThenLstm(seed: 15),
        ["TinyVit"] = () => new TinyVit(seed: 16),
        ["PostLnEncoder"] = () => new PostLnEncoder(seed: 17),
        ["PatchLstm"] = () => new PatchLstm(seed: 18),
        ["TemporalConv"] = () => new TemporalConv(seed: 19),
        ["SequenceBatchNorm"] = () => new SequenceBatchNorm(seed: 20),
        ["TinyResNet"] = () => new TinyResNet(seed: 21),
        ["NestedStages"] = () => new NestedStages(seed: 23),
        ["Nested"] = () => new OnnxModels.Nested.Outer<string>.Middle.Inner<int>(seed: 11),
        ["A.Net"] = () => new OnnxModels.A.Net(seed: 12),
        ["B.Net"] = () => new OnnxModels.B.Net(seed: 13),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Seeded_weights_give_the_same_outputs_in_onnx_runtime(string name)
    {
        IOnnxExportable model = Factories[name]();
        var module = (nn.Module<Tensor, Tensor>)model;
        byte[] onnx = OrtRun.Export(s => model.ExportOnnx(s));
        OrtRun.AssertAgrees(module, onnx, model.InputShape.ToArray(), seed: 100);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Trained_weights_give_the_same_outputs_in_onnx_runtime(string name)
    {
        IOnnxExportable model = Factories[name]();
        var module = (nn.Module<Tensor, Tensor>)model;
        OrtRun.Train(module, model.InputShape.ToArray());
        byte[] onnx = OrtRun.Export(s => model.ExportOnnx(s));
        OrtRun.AssertAgrees(module, onnx, model.InputShape.ToArray(), seed: 200);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Folded_batch_norm_gives_the_same_outputs(string name)
    {
        IOnnxExportable model = Factories[name]();
        var module = (nn.Module<Tensor, Tensor>)model;
        OrtRun.Train(module, model.InputShape.ToArray());
        byte[] unfolded = OrtRun.Export(s => model.ExportOnnx(s));
        byte[] folded = OrtRun.Export(s => model.ExportOnnx(s, new OnnxExportOptions { FoldBatchNorm = true }));
        OrtRun.AssertAgrees(module, folded, model.InputShape.ToArray(), seed: 300);
        int pairs = Pairs(module);
        // Each Dense/Conv2d directly followed by a BatchNorm loses its BatchNormalization node.
        Assert.Equal(CountOps(unfolded, "BatchNormalization") - pairs, CountOps(folded, "BatchNormalization"));
    }

    [Fact]
    public void Card_model_file_has_a_dynamic_batch_opset_17_and_the_model_metadata()
    {
        var model = new Mlp(seed: 1);
        string path = Path.Combine(Path.GetTempPath(), $"modeldsl-card-{Guid.NewGuid():N}.onnx");
        try
        {
            model.ExportOnnx(path);
            using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(path);
            Assert.Equal(new[] { -1, 784 }, session.InputMetadata["input"].Dimensions);
            Assert.Equal(new[] { -1, 10 }, session.OutputMetadata["output"].Dimensions);
            Assert.Equal("ModelDsl", session.ModelMetadata.ProducerName);
            Assert.Equal("Mlp", session.ModelMetadata.CustomMetadataMap["modeldsl.model"]);
            Assert.Equal("[784]", session.ModelMetadata.CustomMetadataMap["modeldsl.input_shape"]);
            Assert.Contains("dense1: Dense(256)", session.ModelMetadata.Description);
            Assert.Equal(OnnxExport.Opset, OpsetOf(File.ReadAllBytes(path)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_hand_written_forward_is_refused_and_no_file_is_written()
    {
        var model = new Residual(seed: 1);
        string path = Path.Combine(Path.GetTempPath(), $"modeldsl-residual-{Guid.NewGuid():N}.onnx");
        var error = Assert.Throws<OnnxExportException>(() => model.ExportOnnx(path));
        Assert.Equal("Residual", error.Model);
        Assert.Contains("hand-written forward", error.Message);
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFiles(Path.GetTempPath(), $".modeldsl-residual-*"));
    }

    [Fact]
    public void A_failed_export_leaves_an_existing_file_as_it_was()
    {
        string path = Path.Combine(Path.GetTempPath(), $"modeldsl-keep-{Guid.NewGuid():N}.onnx");
        try
        {
            new Mlp(seed: 1).ExportOnnx(path);
            byte[] before = File.ReadAllBytes(path);
            Assert.Throws<OnnxExportException>(() => new Residual(seed: 1).ExportOnnx(path));
            Assert.Equal(before, File.ReadAllBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Export_leaves_train_mode_and_batch_norm_statistics_as_they_were()
    {
        var model = new Mlp(seed: 1);
        model.train();
        using var scope = NewDisposeScope();
        var before = model.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        model.ExportOnnx(Stream.Null);
        Assert.True(model.training);
        Assert.All(model.state_dict(), p => Assert.True(p.Value.allclose(before[p.Key], rtol: 0, atol: 0), p.Key + " changed"));
    }

    /// <summary>Dense/Conv2d layers immediately followed by a batch norm with running statistics.</summary>
    private static int Pairs(nn.Module<Tensor, Tensor> module)
    {
        var leaves = module.modules().Where(m => m is not TorchSharp.Modules.Sequential && !m.children().Any()).ToList();
        int pairs = 0;
        for (int i = 0; i + 1 < leaves.Count; i++)
        {
            if (leaves[i] is TorchSharp.Modules.Linear or TorchSharp.Modules.Conv2d && leaves[i + 1] is BatchNormalization) pairs++;
        }
        return pairs;
    }

    internal static int CountOps(byte[] onnx, string op) => Proto.ModelProto.Parser.ParseFrom(onnx).Graph.Node.Count(n => n.OpType == op);

    private static long OpsetOf(byte[] onnx) => Proto.ModelProto.Parser.ParseFrom(onnx).OpsetImport.Single().Version;
}

using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Onnx.Tests;

/// <summary>
/// Issue #23 §3.5: a float64 model exports a file ONNX Runtime runs, or is refused naming the op and the dtype; with
/// <see cref="OnnxExportOptions.Float64AsFloat32"/> it exports a float32 graph that runs. Every model of the export tests
/// (together they hold every layer kind the exporter writes) and the token models, each moved to float64.
/// </summary>
public class PrecisionTests
{
    /// <summary>The layer-kind models (OnnxKinds, one kind each), then the export tests' models and two token models.</summary>
    private static readonly Dictionary<string, Func<IOnnxExportable>> Factories = KindModels
        .ToDictionary(t => t.Name, t => (Func<IOnnxExportable>)(() => (IOnnxExportable)Activator.CreateInstance(t, new object?[] { 1L, null, null })!))
        .Concat(ModelExportTests.Factories)
        .Concat(new Dictionary<string, Func<IOnnxExportable>>
        {
            ["PaddedEncoder"] = () => new OnnxTokenModels.PaddedEncoder(seed: 1),
            ["TokenLstm"] = () => new OnnxTokenModels.TokenLstm(seed: 4),
        })
        .ToDictionary(e => e.Key, e => e.Value);

    private static IEnumerable<Type> KindModels => typeof(PrecisionTests).Assembly.GetTypes()
        .Where(t => t.Namespace == "OnnxKinds" && typeof(IOnnxExportable).IsAssignableFrom(t)).OrderBy(t => t.Name);

    public static IEnumerable<object[]> Models() => Factories.Keys.Select(k => new object[] { k });

    [Fact]
    public void The_kind_models_cover_every_layer_attribute()
    {
        var declared = KindModels.SelectMany(t => t.GetCustomAttributes(typeof(LayerAttribute), false)).Select(a => a.GetType()).ToHashSet();
        var all = typeof(LayerAttribute).Assembly.GetTypes().Where(t => !t.IsAbstract && typeof(LayerAttribute).IsAssignableFrom(t));
        Assert.Empty(all.Where(t => !declared.Contains(t)).Select(t => t.Name));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void A_float64_model_exports_a_graph_onnx_runtime_runs_or_is_refused_naming_the_op(string name)
    {
        (IOnnxExportable model, nn.Module<Tensor, Tensor> module) = Float64(name);
        byte[] onnx;
        try
        {
            onnx = OrtRun.Export(s => model.ExportOnnx(s));
        }
        catch (OnnxExportException refused)
        {
            Assert.Contains("float64", refused.Message);
            Assert.Contains(OnnxExport.OpsWithoutFloat64Kernel, op => refused.Message.Contains($"ONNX op {op},", StringComparison.Ordinal));
            Assert.NotNull(refused.Layer);
            return;
        }
        Assert.Equal(typeof(double), OrtRun.Session(onnx).OutputMetadata["output"].ElementType);
        // Double in, double out, both engines in float64. But ONNX stores float attributes as float32: a norm's ε (and a
        // LeakyReLU's or ELU's α) is rounded to float32, a relative change of up to 2⁻²⁴ ≈ 6e-8, which moves a normalized
        // value x̂ by at most x̂·Δε/(2(σ² + ε)) ≤ 2⁻²⁵·|x̂| (and a negative-side activation by 2⁻²⁴ of itself): 1e-7 of the scale.
        AssertAgrees(module, Shape(model), Vocabulary(model), onnx, ScalarType.Float64, tolerance: 1e-7);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void A_float64_model_exported_as_float32_runs_in_onnx_runtime(string name)
    {
        (IOnnxExportable model, nn.Module<Tensor, Tensor> module) = Float64(name);
        byte[] onnx = OrtRun.Export(s => model.ExportOnnx(s, new OnnxExportOptions { Float64AsFloat32 = true }));
        Assert.Equal(typeof(float), OrtRun.Session(onnx).OutputMetadata["output"].ElementType);
        // The graph computes in float32 from weights rounded to float32: the agreement of two float32 engines (OrtRun.Tolerance).
        AssertAgrees(module, Shape(model), Vocabulary(model), onnx, ScalarType.Float32, OrtRun.Tolerance);
        Assert.Equal(ScalarType.Float64, module.parameters().First().dtype); // the model itself stays float64
    }

    /// <summary>The ensembles of the ensemble export tests: every aggregation, loop and vectorized, with their input shapes.</summary>
    private static readonly Dictionary<string, (Func<(nn.Module<Tensor, Tensor>, Action<System.IO.Stream, OnnxExportOptions?>)> Create, long[] Input)> Ensembles = new()
    {
        ["SoftVote"] = (() => Of(new OnnxModels.SoftVoterEnsemble(seed: 1)), new long[] { 16 }),
        ["MajorityVote"] = (() => Of(new OnnxModels.MajorityVoterEnsemble(seed: 2)), new long[] { 16 }),
        ["FixedWeights"] = (() => Of(new OnnxModels.FixedWeightsEnsemble(seed: 3)), new long[] { 16 }),
        ["LearnedWeights"] = (() => Of(new OnnxModels.LearnedWeightsEnsemble(seed: 4)), new long[] { 16 }),
        ["ConvMean"] = (() => Of(new OnnxModels.ConvMeanEnsemble(seed: 5)), new long[] { 1, 8, 8 }),
        ["Vectorized"] = (() => { var e = new OnnxModels.VectorizedNetEnsemble(seed: 6); return (e, (s, o) => e.ExportOnnx(s, o)); }, new long[] { 6 }),
    };

    private static (nn.Module<Tensor, Tensor>, Action<System.IO.Stream, OnnxExportOptions?>) Of<TModel>(Ensemble<TModel> ensemble)
        where TModel : nn.Module<Tensor, Tensor>, IOnnxExportable
        => (ensemble, (s, o) => ensemble.ExportOnnx(s, o));

    public static IEnumerable<object[]> EnsembleNames() => Ensembles.Keys.Select(k => new object[] { k });

    /// <summary>Ensembles take the same path as models: their float64 graph runs or is refused naming the op; as float32 it runs.</summary>
    [Theory]
    [MemberData(nameof(EnsembleNames))]
    public void A_float64_ensemble_is_refused_naming_the_op_or_runs_and_runs_as_float32(string name)
    {
        (var create, long[] input) = Ensembles[name];
        (nn.Module<Tensor, Tensor> ensemble, Action<System.IO.Stream, OnnxExportOptions?> Export) = create();
        ensemble.to(ScalarType.Float64);
        try
        {
            AssertAgrees(ensemble, input, null, OrtRun.Export(s => Export(s, null)), ScalarType.Float64, tolerance: 1e-7);
        }
        catch (OnnxExportException refused)
        {
            Assert.Contains(OnnxExport.OpsWithoutFloat64Kernel, op => refused.Message.Contains($"ONNX op {op},", StringComparison.Ordinal));
        }
        AssertAgrees(ensemble, input, null, OrtRun.Export(s => Export(s, new OnnxExportOptions { Float64AsFloat32 = true })), ScalarType.Float32, OrtRun.Tolerance);
    }

    private static long[] Shape(IOnnxExportable model) => model.InputShape.ToArray();

    private static long? Vocabulary(IOnnxExportable model) => model is ITokenModel tokens ? tokens.Vocabulary : null;

    /// <summary>The named model, moved to float64.</summary>
    private static (IOnnxExportable, nn.Module<Tensor, Tensor>) Float64(string name)
    {
        IOnnxExportable model = Factories[name]();
        var module = (nn.Module<Tensor, Tensor>)model;
        module.to(ScalarType.Float64);
        return (model, module);
    }

    /// <summary>
    /// Runs a batch of 5 (token ids below <paramref name="vocabulary"/>, else floats) through ORT, in the graph's
    /// <paramref name="graphType"/>, and through the float64 model; max |ORT − Torch| ≤ tolerance · max(1, max|Torch|).
    /// </summary>
    private static void AssertAgrees(nn.Module<Tensor, Tensor> module, long[] inputShape, long? vocabulary, byte[] onnx, ScalarType graphType, double tolerance)
    {
        using InferenceSession session = OrtRun.Session(onnx);
        using var scope = NewDisposeScope();
        long[] shape = new long[] { 5 }.Concat(inputShape).ToArray();
        Tensor input = vocabulary is long v
            ? randint(1, v, shape, ScalarType.Int64, generator: new Generator(9))
            : randn(shape, ScalarType.Float64, generator: new Generator(9));
        Tensor expected;
        using (module.Evaluating()) expected = module.forward(input);
        using var runOptions = new RunOptions();
        using OrtValue value = input.dtype switch
        {
            ScalarType.Int64 => OrtValue.CreateTensorValueFromMemory(input.data<long>().ToArray(), input.shape),
            _ when graphType == ScalarType.Float32 => OrtValue.CreateTensorValueFromMemory(input.to(ScalarType.Float32).data<float>().ToArray(), input.shape),
            _ => OrtValue.CreateTensorValueFromMemory(input.data<double>().ToArray(), input.shape),
        };
        using var outputs = session.Run(runOptions, new[] { "input" }, new[] { value }, new[] { "output" });
        long[] outputShape = outputs[0].GetTensorTypeAndShape().Shape;
        Tensor actual = graphType == ScalarType.Float32
            ? tensor(outputs[0].GetTensorDataAsSpan<float>().ToArray()).to(ScalarType.Float64).reshape(outputShape)
            : tensor(outputs[0].GetTensorDataAsSpan<double>().ToArray(), ScalarType.Float64).reshape(outputShape);
        Assert.Equal(expected.shape, actual.shape);
        double scale = Math.Max(1, expected.abs().max().item<double>());
        double error = (actual - expected).abs().max().item<double>();
        Assert.True(error <= tolerance * scale, $"max |ORT − TorchSharp| = {error:G3}, allowed {tolerance * scale:G3}");
    }
}

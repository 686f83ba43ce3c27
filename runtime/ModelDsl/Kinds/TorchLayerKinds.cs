using System;
using System.Collections.Generic;
using ModelDsl.Onnx;
using TorchSharp.Modules;
using static ModelDsl.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace ModelDsl.Kinds;

/// <summary>
/// What the runtime knows about each TorchSharp layer type it builds or recognizes, one row per type: its ONNX form,
/// whether it draws from the global generator in training, whether it normalizes with batch statistics, its running
/// statistics, and whether a batch norm folds into it. TorchSharp's modules are sealed classes of another assembly, so
/// this table stands in for the <see cref="IOnnxLayer"/> they cannot implement. A type missing here has no ONNX form,
/// draws nothing and has no statistics; LayerKindTests checks that every type a generated model holds has a row.
/// </summary>
internal static class TorchLayerKinds
{
    /// <summary>The ONNX form of a type the exporter refuses (it draws in training and has no eval-time node of its own).</summary>
    public static readonly OnnxForm NoOnnxForm = (c, _, _, _) => throw c.NoOnnxForm();

    private static readonly Func<nn.Module, bool> Never = _ => false;

    /// <summary>Dropout and noise are the identity in eval: no node.</summary>
    private static readonly OnnxForm Identity = (_, _, _, x) => x;

    private static OnnxForm Node(string op) => (c, _, name, x) => c.Graph.Node(op, name, new[] { x });

    private static OnnxForm Form<T>(Func<LayerExportContext, T, string, string, string> form) where T : nn.Module
        => (c, module, name, x) => form(c, (T)module, name, x);

    private static readonly Func<nn.Module, RunningStatistics?> Statistics = module => TorchOnnxForms.BatchNormStatistics((BatchNorm)module);

    private static readonly FoldTarget IntoLinear = new(
        module => (((Linear)module).weight, ((Linear)module).bias),
        (c, _, name, x, weight, bias) => c.Graph.Dense(name, x, c.Rank, weight, bias));

    private static readonly FoldTarget IntoConv2d = new(
        module => (((Conv2d)module).weight, ((Conv2d)module).bias),
        (c, module, name, x, weight, bias) => c.Graph.Conv(c.Model, name, x, (Conv2d)module, weight, bias));

    private static readonly Dictionary<Type, TorchLayerKind> Table = new()
    {
        // type = (ONNX form, draws in training, batch statistics in training, running statistics, fold target)
        [typeof(Linear)] = new(Form<Linear>(TorchOnnxForms.Linear), Never, false, null, IntoLinear),
        [typeof(Conv2d)] = new(Form<Conv2d>(TorchOnnxForms.Conv2d), Never, false, null, IntoConv2d),
        [typeof(ConvTranspose2d)] = new(Form<ConvTranspose2d>(TorchOnnxForms.ConvTranspose2d), Never, false, null, null),
        [typeof(MaxPool2d)] = new(Form<MaxPool2d>(TorchOnnxForms.MaxPool), Never, false, null, null),
        [typeof(AvgPool2d)] = new(Form<AvgPool2d>(TorchOnnxForms.AveragePool), Never, false, null, null),
        [typeof(AdaptiveAvgPool2d)] = new(Form<AdaptiveAvgPool2d>(TorchOnnxForms.AdaptiveAveragePool), Never, false, null, null),
        [typeof(AdaptiveMaxPool2d)] = new(Form<AdaptiveMaxPool2d>(TorchOnnxForms.AdaptiveMaxPool), Never, false, null, null),
        [typeof(Upsample)] = new(Form<Upsample>(TorchOnnxForms.Upsample), Never, false, null, null),
        [typeof(ChannelShuffle)] = new(Form<ChannelShuffle>(TorchOnnxForms.ChannelShuffle), Never, false, null, null),
        [typeof(Flatten)] = new(Form<Flatten>(TorchOnnxForms.Flatten), Never, false, null, null),
        [typeof(BatchNorm1d)] = new(Form<BatchNorm1d>(TorchOnnxForms.BatchNorm), Never, true, Statistics, null),
        [typeof(BatchNorm2d)] = new(Form<BatchNorm2d>(TorchOnnxForms.BatchNorm), Never, true, Statistics, null),
        [typeof(BatchNorm3d)] = new(NoOnnxForm, Never, true, Statistics, null),
        [typeof(InstanceNorm2d)] = new(Form<InstanceNorm2d>(TorchOnnxForms.InstanceNorm), Never, false, null, null),
        [typeof(LayerNorm)] = new(Form<LayerNorm>(TorchOnnxForms.LayerNormalization), Never, false, null, null),
        [typeof(GroupNorm)] = new(Form<GroupNorm>(TorchOnnxForms.GroupNorm), Never, false, null, null),
        [typeof(ReLU)] = new(Node("Relu"), Never, false, null, null),
        [typeof(LeakyReLU)] = new(Form<LeakyReLU>((c, leaky, name, x) => c.Graph.Node("LeakyRelu", name, new[] { x }, Float("alpha", leaky.negative_slope))), Never, false, null, null),
        [typeof(Tanh)] = new(Node("Tanh"), Never, false, null, null),
        [typeof(Sigmoid)] = new(Node("Sigmoid"), Never, false, null, null),
        [typeof(GELU)] = new(Form<GELU>((c, gelu, name, x) => c.Graph.Gelu(name, x, tanhApproximation: gelu.approximate == GELU.Approximate.tanh)), Never, false, null, null),
        [typeof(SiLU)] = new((c, _, name, x) => c.Graph.Node("Mul", name, new[] { x, c.Graph.Node("Sigmoid", name + ".sigmoid", new[] { x }) }), Never, false, null, null),
        // ReLU6 as Clip(0, 6); Hardsigmoid with PyTorch's slope 1/6 and offset 1/2 (ONNX's defaults are 0.2 and 0.5); Mish
        // as x·tanh(softplus(x)), since ONNX has Mish only from opset 18.
        [typeof(ReLU6)] = new((c, _, name, x) => c.Graph.Node("Clip", name, new[] { x, c.Graph.Constant(name + ".min", new[] { 0.0 }), c.Graph.Constant(name + ".max", new[] { 6.0 }) }), Never, false, null, null),
        [typeof(Hardswish)] = new(Node("HardSwish"), Never, false, null, null),
        [typeof(Hardsigmoid)] = new((c, _, name, x) => c.Graph.Node("HardSigmoid", name, new[] { x }, Float("alpha", 1.0 / 6), Float("beta", 0.5)), Never, false, null, null),
        [typeof(Mish)] = new((c, _, name, x) => c.Graph.Node("Mul", name, new[] { x, c.Graph.Node("Tanh", name + ".tanh", new[] { c.Graph.Node("Softplus", name + ".softplus", new[] { x }) }) }), Never, false, null, null),
        [typeof(ELU)] = new(Form<ELU>((c, elu, name, x) => c.Graph.Node("Elu", name, new[] { x }, Float("alpha", elu.alpha))), Never, false, null, null),
        [typeof(Softmax)] = new(Form<Softmax>((c, softmax, name, x) => c.Graph.Node("Softmax", name, new[] { x }, Int("axis", softmax.dim))), Never, false, null, null),
        [typeof(LogSoftmax)] = new(Form<LogSoftmax>((c, logSoftmax, name, x) => c.Graph.Node("LogSoftmax", name, new[] { x }, Int("axis", logSoftmax.dim))), Never, false, null, null),
        [typeof(Embedding)] = new(Form<Embedding>(TorchOnnxForms.Embedding), Never, false, null, null),
        [typeof(Identity)] = new(Identity, Never, false, null, null),
        // Dropout draws its mask from the global generator in training, unless its rate is 0: libtorch returns the input
        // untouched then (ATen's _dropout_impl), as for a TransformerEncoder declared with Dropout = 0.
        [typeof(Dropout)] = new(Identity, module => ((Dropout)module).p > 0, false, null, null),
        [typeof(Dropout2d)] = new(Identity, module => ((Dropout2d)module).p > 0, false, null, null),
        [typeof(Dropout1d)] = new(NoOnnxForm, module => ((Dropout1d)module).p > 0, false, null, null),
        [typeof(Dropout3d)] = new(NoOnnxForm, module => ((Dropout3d)module).p > 0, false, null, null),
        [typeof(AlphaDropout)] = new(NoOnnxForm, module => ((AlphaDropout)module).p > 0, false, null, null),
        [typeof(FeatureAlphaDropout)] = new(NoOnnxForm, module => ((FeatureAlphaDropout)module).p > 0, false, null, null),
    };

    /// <summary>The types with a row, for the consistency tests.</summary>
    public static IReadOnlyCollection<Type> Types => Table.Keys;

    /// <summary>The row of <paramref name="type"/> or of its nearest base type with one (a subclass of Dropout is a dropout); null for none.</summary>
    public static TorchLayerKind? Find(Type type)
    {
        for (Type? t = type; t is not null && t != typeof(nn.Module); t = t.BaseType)
        {
            if (Table.TryGetValue(t, out TorchLayerKind? kind)) return kind;
        }
        return null;
    }
}

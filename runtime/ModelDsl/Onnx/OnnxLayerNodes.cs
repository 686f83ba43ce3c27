using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp.Modules;
using static ModelDsl.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace ModelDsl.Onnx;

/// <summary>
/// Node patterns that several layer kinds share (a dense map, a convolution, GELU, a running-statistics norm, group
/// norm): written once here, called by the kinds' ONNX forms and by <see cref="VectorizedMemberExporter"/>.
/// </summary>
internal static class OnnxLayerNodes
{
    /// <summary>y = x·Wᵀ + b: Gemm for [B, F] inputs, MatMul + Add for higher ranks (Linear acts on the last dimension).</summary>
    public static string Dense(this OnnxGraphBuilder g, string name, string x, int rank, Tensor weight, Tensor? bias)
    {
        if (rank == 2)
        {
            var inputs = new List<string> { x, g.Initializer(name + ".weight", weight) };
            if (bias is not null) inputs.Add(g.Initializer(name + ".bias", bias));
            return g.Node("Gemm", name, inputs, Int("transB", 1));
        }
        using var scope = NewDisposeScope();
        string product = g.Node("MatMul", bias is null ? name : name + ".matmul", new[] { x, g.Initializer(name + ".weight_t", weight.t()) });
        return bias is null ? product : g.Node("Add", name, new[] { product, g.Initializer(name + ".bias", bias) });
    }

    /// <summary>A Conv2d's Conv node with the given weights (its own, or a batch norm folded into them).</summary>
    public static string Conv(this OnnxGraphBuilder g, string model, string name, string x, Conv2d conv, Tensor weight, Tensor? bias)
    {
        if (conv.padding_mode != TorchSharp.PaddingModes.Zeros)
            throw new OnnxExportException(model, name, $"pads with {conv.padding_mode}; ONNX Conv pads with zeros only");
        var inputs = new List<string> { x, g.Initializer(name + ".weight", weight) };
        if (bias is not null) inputs.Add(g.Initializer(name + ".bias", bias));
        return g.Node("Conv", name, inputs,
            Ints("kernel_shape", conv.kernel_size), Ints("strides", conv.stride), Ints("dilations", conv.dilation),
            Int("group", conv.groups), Ints("pads", ConvPads(conv)));
    }

    /// <summary>ONNX pads [h_begin, w_begin, h_end, w_end]; 'same' puts the odd pixel at the end, as PyTorch does.</summary>
    private static long[] ConvPads(Conv2d conv)
    {
        int dims = conv.kernel_size.Length;
        var pads = new long[2 * dims];
        for (int i = 0; i < dims; i++)
        {
            if (conv.padding_type == TorchSharp.Padding.Same)
            {
                long total = conv.dilation[i] * (conv.kernel_size[i] - 1);
                pads[i] = total / 2;
                pads[dims + i] = total - total / 2;
            }
            else
            {
                long p = conv.padding is { } given ? given[i] : 0;
                pads[i] = p;
                pads[dims + i] = p;
            }
        }
        return pads;
    }

    /// <summary>GELU from opset-17 nodes: 0.5·x·(1 + erf(x/√2)), or the tanh approximation when the layer uses it (Hendrycks and Gimpel 2016).</summary>
    public static string Gelu(this OnnxGraphBuilder g, string name, string x, bool tanhApproximation)
    {
        string inner;
        if (tanhApproximation)
        {
            // tanh(√(2/π)·(x + 0.044715·x³))
            string cube = g.Node("Mul", name + ".x3", new[] { x, g.Node("Mul", name + ".x2", new[] { x, x }) });
            string sum = g.Node("Add", name + ".sum", new[] { x, g.Node("Mul", name + ".cubic", new[] { cube, g.Constant(name + ".c", new[] { 0.044715 }) }) });
            inner = g.Node("Tanh", name + ".tanh", new[] { g.Node("Mul", name + ".scaled", new[] { sum, g.Constant(name + ".k", new[] { Math.Sqrt(2 / Math.PI) }) }) });
        }
        else
        {
            inner = g.Node("Erf", name + ".erf", new[] { g.Node("Div", name + ".div", new[] { x, g.Constant(name + ".sqrt2", new[] { Math.Sqrt(2) }) }) });
        }
        string onePlus = g.Node("Add", name + ".one_plus", new[] { inner, g.Constant(name + ".one", new[] { 1.0 }) });
        string half = g.Node("Mul", name + ".half_x", new[] { x, g.Constant(name + ".half", new[] { 0.5 }) });
        return g.Node("Mul", name, new[] { half, onePlus });
    }

    /// <summary>[B, T, C] → [B, C, T], the layout ONNX's Conv, pools and BatchNormalization read channels in.</summary>
    public static string ChannelsFirst(this OnnxGraphBuilder g, string name, string x)
        => g.Node("Transpose", name + ".channels_first", new[] { x }, Ints("perm", new long[] { 0, 2, 1 }));

    /// <summary>Eval-mode batch norm as one BatchNormalization node: (x − running_mean)/√(running_var + ε)·γ + β per channel (axis 1).</summary>
    public static string RunningStatsNorm(this OnnxGraphBuilder g, string name, string x, RunningStatistics s)
        => g.Node("BatchNormalization", name,
            new[] { x, g.Scale(name, s.Weight, s.Channels), g.Shift(name, s.Bias, s.Channels), g.Initializer(name + ".running_mean", s.Mean), g.Initializer(name + ".running_var", s.Variance) },
            Float("epsilon", s.Eps));

    /// <summary>
    /// Group norm from opset-17 nodes (ONNX's GroupNormalization came in opset 18 and changed meaning in 21): reshape to
    /// [N, G, −1], instance-normalize each group, reshape back, then the per-channel γ and β (Wu and He 2018, eq. 1–3).
    /// </summary>
    public static string GroupNorm(this OnnxGraphBuilder g, string name, string x, long groups, double eps, Tensor? weight, Tensor? bias, int rank)
    {
        string grouped = g.Node("Reshape", name + ".grouped", new[] { x, g.Int64Constant(name + ".group_shape", new[] { 0, groups, -1 }, 3) });
        string normalized = g.Node("InstanceNormalization", name + ".normalized",
            new[] { grouped, g.Ones(name + ".group_scale", groups), g.Zeros(name + ".group_shift", groups) }, Float("epsilon", eps));
        bool affine = weight is not null && bias is not null;
        string restored = g.Node("Reshape", affine ? name + ".restored" : name, new[] { normalized, g.Node("Shape", name + ".shape", new[] { x }) });
        if (!affine) return restored;
        using var scope = NewDisposeScope();
        long[] perChannel = new[] { weight!.shape[0] }.Concat(Enumerable.Repeat(1L, rank - 2)).ToArray();
        string scaled = g.Node("Mul", name + ".scaled", new[] { restored, g.Initializer(name + ".weight", weight.reshape(perChannel)) });
        return g.Node("Add", name, new[] { scaled, g.Initializer(name + ".bias", bias!.reshape(perChannel)) });
    }

    /// <summary>γ, or ones for a norm without affine parameters.</summary>
    public static string Scale(this OnnxGraphBuilder g, string name, Tensor? weight, long channels) => weight is not null ? g.Initializer(name + ".weight", weight) : g.Ones(name + ".ones", channels);

    /// <summary>β, or zeros for a norm without affine parameters.</summary>
    public static string Shift(this OnnxGraphBuilder g, string name, Tensor? bias, long channels) => bias is not null ? g.Initializer(name + ".bias", bias) : g.Zeros(name + ".zeros", channels);
}

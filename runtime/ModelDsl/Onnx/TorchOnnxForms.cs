using System.Collections.Generic;
using System.Linq;
using TorchSharp.Modules;
using static ModelDsl.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace ModelDsl.Onnx;

/// <summary>
/// The eval-mode ONNX forms (opset 17) of TorchSharp's layers that take more than one node or a check; the
/// <see cref="Kinds.TorchLayerKinds"/> table points each type at its form. ModelDsl's own layers write theirs in their
/// <c>*.Kind.cs</c> files.
/// </summary>
internal static class TorchOnnxForms
{
    public static string Linear(LayerExportContext c, Linear linear, string name, string x)
        => c.Graph.Dense(name, x, c.Rank, linear.weight, linear.bias);

    public static string Conv2d(LayerExportContext c, Conv2d conv, string name, string x)
        => c.Graph.Conv(c.Model, name, x, conv, conv.weight, conv.bias);

    /// <summary>
    /// ONNX ConvTranspose with PyTorch's geometry: the same weight layout [C_in, C_out/groups, k, k], symmetric pads, and
    /// output_padding added at the end of each side (ONNX's output shape formula is PyTorch's).
    /// </summary>
    public static string ConvTranspose2d(LayerExportContext c, ConvTranspose2d conv, string name, string x)
    {
        if (conv.padding_mode != TorchSharp.PaddingModes.Zeros)
            throw c.Refuse(name, $"pads with {conv.padding_mode}; ONNX ConvTranspose pads with zeros only");
        var inputs = new List<string> { x, c.Graph.Initializer(name + ".weight", conv.weight) };
        if (conv.bias is not null) inputs.Add(c.Graph.Initializer(name + ".bias", conv.bias));
        long[] padding = conv.padding ?? new long[conv.kernel_size.Length];
        return c.Graph.Node("ConvTranspose", name, inputs,
            Ints("kernel_shape", conv.kernel_size), Ints("strides", conv.stride), Ints("dilations", conv.dilation), Int("group", conv.groups),
            Ints("pads", SymmetricPads(padding)), Ints("output_padding", conv.output_padding ?? new long[conv.kernel_size.Length]));
    }

    public static string MaxPool(LayerExportContext c, MaxPool2d pool, string name, string x)
        => MaxPool(c.Graph, name, x, pool.kernel_size, pool.stride ?? pool.kernel_size, pool.padding ?? new long[pool.kernel_size.Length],
            pool.dilation ?? Enumerable.Repeat(1L, pool.kernel_size.Length).ToArray(), pool.ceil_mode);

    /// <summary>ONNX MaxPool with PyTorch's geometry: the same padding at both ends of each axis, ceil_mode as set (TorchSharp's MaxPool2d and ModelDsl's MaxPooling2D).</summary>
    public static string MaxPool(OnnxGraphBuilder g, string name, string x, long[] kernel, long[] stride, long[] padding, long[] dilation, bool ceilMode)
        => g.Node("MaxPool", name, new[] { x }, Ints("kernel_shape", kernel), Ints("strides", stride), Ints("pads", SymmetricPads(padding)),
            Ints("dilations", dilation), Int("ceil_mode", ceilMode ? 1 : 0));

    public static string AveragePool(LayerExportContext c, AvgPool2d pool, string name, string x)
    {
        if (pool.divisor_override is not null) throw c.Refuse(name, "sets divisor_override, which ONNX AveragePool cannot express");
        return c.Graph.Node("AveragePool", name, new[] { x }, Ints("kernel_shape", pool.kernel_size), Ints("strides", pool.stride ?? pool.kernel_size),
            Ints("pads", SymmetricPads(pool.padding ?? new long[pool.kernel_size.Length])), Int("ceil_mode", pool.ceil_mode ? 1 : 0),
            Int("count_include_pad", pool.count_include_pad ? 1 : 0));
    }

    /// <summary>Only the global pool (output size 1) has a form: GlobalAveragePool.</summary>
    /// <summary>
    /// Adaptive average pooling: GlobalAveragePool to 1×1; where the input divides evenly into the output, every bin is one
    /// window of in/out, so an AveragePool with that kernel and stride (torch.onnx exports it the same way); otherwise
    /// the bins overlap unevenly and ONNX has no op for them.
    /// </summary>
    public static string AdaptiveAveragePool(LayerExportContext c, AdaptiveAvgPool2d pool, string name, string x)
        => AdaptivePool(c, "AveragePool", "GlobalAveragePool", pool.output_size, name, x);

    /// <summary>Adaptive max pooling: GlobalMaxPool or a MaxPool of in/out windows, as <see cref="AdaptiveAveragePool"/>.</summary>
    public static string AdaptiveMaxPool(LayerExportContext c, AdaptiveMaxPool2d pool, string name, string x)
        => AdaptivePool(c, "MaxPool", "GlobalMaxPool", pool.output_size, name, x);

    private static string AdaptivePool(LayerExportContext c, string op, string global, long[] outputSize, string name, string x)
    {
        if (outputSize.All(s => s == 1)) return c.Graph.Node(global, name, new[] { x });
        long[] input = c.Link.InputShape.Skip(2).ToArray();
        long[] size = outputSize.Length == 1 ? new[] { outputSize[0], outputSize[0] } : outputSize;
        if (input.Length != 2 || input.Zip(size, (i, o) => o > 0 && i % o == 0).Any(fits => !fits))
            throw c.Refuse(name, $"pools [{string.Join(", ", input)}] to [{string.Join(", ", size)}], which is not a whole number of windows per side; ONNX has adaptive pooling only as windows of in/out");
        long[] window = input.Zip(size, (i, o) => i / o).ToArray();
        return c.Graph.Node(op, name, new[] { x }, Ints("kernel_shape", window), Ints("strides", window));
    }

    /// <summary>Channel shuffle: Reshape to [B, g, C/g, H, W], Transpose the two group axes, Reshape back (0 keeps the batch).</summary>
    public static string ChannelShuffle(LayerExportContext c, ChannelShuffle shuffle, string name, string x)
    {
        long[] shape = c.Link.InputShape;
        long groups = shuffle.groups;
        string grouped = c.Graph.Node("Reshape", name + ".grouped", new[] { x, c.Graph.Int64Constant(name + ".groups", new[] { 0, groups, shape[1] / groups, shape[2], shape[3] }, 5) });
        string swapped = c.Graph.Node("Transpose", name + ".transpose", new[] { grouped }, Ints("perm", new long[] { 0, 2, 1, 3, 4 }));
        return c.Graph.Node("Reshape", name, new[] { swapped, c.Graph.Int64Constant(name + ".shape", new[] { 0, shape[1], shape[2], shape[3] }, 4) });
    }

    /// <summary>
    /// Upsampling as ONNX Resize, with scales [1, 1, s, s] for a scale factor or sizes [N, C, h, w] for a fixed size (the
    /// batch and channels read from the input's shape): nearest with coordinate_transformation_mode "asymmetric" and
    /// nearest_mode "floor" (PyTorch's nearest: source ⌊i/s⌋); bilinear ("linear") with "pytorch_half_pixel" for
    /// align_corners false, "align_corners" for true. With sizes, ONNX Runtime's scale is output ÷ input per side, as
    /// PyTorch's for <c>size=</c>.
    /// </summary>
    public static string Upsample(LayerExportContext c, Upsample upsample, string name, string x)
    {
        bool nearest = upsample.mode == UpsampleMode.Nearest;
        if (!nearest && upsample.mode != UpsampleMode.Bilinear) throw c.Refuse(name, $"upsamples in mode {upsample.mode}; the exporter writes nearest and bilinear");
        string[] inputs;
        if (upsample.scale_factor is { Length: 2 } scale)
            inputs = new[] { x, "", c.Graph.Float32Constant(name + ".scales", new[] { 1f, 1f, (float)scale[0], (float)scale[1] }, 4) };
        else if (upsample.size is { Length: 2 } size)
        {
            // Resize's sizes cover every axis; the batch and channels come from the input, so the batch axis stays dynamic.
            string batchAndChannels = c.Graph.Node("Slice", name + ".leading", new[]
            {
                c.Graph.Node("Shape", name + ".shape", new[] { x }),
                c.Graph.Int64Constant(name + ".start", new long[] { 0 }, 1),
                c.Graph.Int64Constant(name + ".end", new long[] { 2 }, 1),
            });
            string sizes = c.Graph.Node("Concat", name + ".sizes", new[] { batchAndChannels, c.Graph.Int64Constant(name + ".size", size.ToArray(), 2) }, Int("axis", 0));
            inputs = new[] { x, "", "", sizes };
        }
        else throw c.Refuse(name, "upsamples by other than two scale factors or two sizes; the exporter writes Resize over height and width");
        return c.Graph.Node("Resize", name, inputs,
            Text("mode", nearest ? "nearest" : "linear"),
            Text("coordinate_transformation_mode", nearest ? "asymmetric" : upsample.align_corners == true ? "align_corners" : "pytorch_half_pixel"),
            Text("nearest_mode", "floor"));
    }

    private static long[] SymmetricPads(long[] padding) => padding.Concat(padding).ToArray();

    /// <summary>flatten(1, −1) is ONNX Flatten with axis 1; other spans have no single-node form here.</summary>
    public static string Flatten(LayerExportContext c, Flatten flatten, string name, string x)
    {
        int rank = c.Rank;
        long end = flatten.end_dim < 0 ? flatten.end_dim + rank : flatten.end_dim;
        if (flatten.start_dim != 1 || end != rank - 1)
            throw c.Refuse(name, $"flattens dimensions {flatten.start_dim}..{flatten.end_dim}; the exporter writes only flatten(1, -1)");
        return c.Graph.Node("Flatten", name, new[] { x }, Int("axis", 1));
    }

    /// <summary>Eval-mode batch norm: (x − running_mean)/√(running_var + ε)·γ + β per channel, from the running statistics it must keep.</summary>
    public static string BatchNorm(LayerExportContext c, BatchNorm norm, string name, string x)
    {
        RunningStatistics statistics = Kinds.LayerKinds.RunningStatistics(norm)
            ?? throw c.Refuse(name, "keeps no running statistics, so its eval output depends on the batch; ONNX BatchNormalization needs them");
        return c.Graph.RunningStatsNorm(name, x, statistics);
    }

    /// <summary>The running statistics of a TorchSharp batch norm that tracks them.</summary>
    public static RunningStatistics? BatchNormStatistics(BatchNorm norm)
        => norm is { track_running_stats: true, running_mean: { } mean, running_var: { } variance }
            ? new(norm.weight, norm.bias, mean, variance, norm.eps, norm.num_features)
            : null;

    /// <summary>Instance norm normalizes each sample's channel by its own statistics, unless it tracks running ones for eval.</summary>
    public static string InstanceNorm(LayerExportContext c, InstanceNorm2d norm, string name, string x)
    {
        OnnxGraphBuilder g = c.Graph;
        if (norm.track_running_stats && norm.running_mean is not null && norm.running_var is not null)
            return g.RunningStatsNorm(name, x, new RunningStatistics(norm.weight, norm.bias, norm.running_mean, norm.running_var, norm.eps, norm.num_features));
        return g.Node("InstanceNormalization", name, new[] { x, g.Scale(name, norm.weight, norm.num_features), g.Shift(name, norm.bias, norm.num_features) },
            Float("epsilon", norm.eps));
    }

    public static string LayerNormalization(LayerExportContext c, LayerNorm norm, string name, string x)
    {
        OnnxGraphBuilder g = c.Graph;
        long[] shape = norm.normalized_shape;
        string scale = norm.weight is { } w ? g.Initializer(name + ".weight", w) : g.Constant(name + ".ones", Filled(shape, 1.0), shape);
        string shift = norm.bias is { } b ? g.Initializer(name + ".bias", b) : g.Constant(name + ".zeros", Filled(shape, 0.0), shape);
        return g.Node("LayerNormalization", name, new[] { x, scale, shift }, Int("axis", -shape.Length), Float("epsilon", norm.eps));
    }

    private static double[] Filled(long[] shape, double value)
        => Enumerable.Repeat(value, checked((int)shape.Aggregate(1L, (a, b) => a * b))).ToArray();

    public static string GroupNorm(LayerExportContext c, GroupNorm norm, string name, string x)
        => c.Graph.GroupNorm(name, x, norm.num_groups, norm.eps, norm.affine ? norm.weight : null, norm.affine ? norm.bias : null, c.Rank);

    /// <summary>
    /// The embedding as Gather, which refuses what the model refuses: the model's embedding throws on a token id outside
    /// [0, V), but ONNX Gather reads a negative index from the end (−1 is the last row), so the deployed graph would answer
    /// where the model does not. Negative ids are mapped to V first (Less, Where), an index past the table, which ONNX
    /// Runtime's Gather refuses as out of bounds, as it refuses any id ≥ V: the run fails instead of answering.
    /// </summary>
    public static string Embedding(LayerExportContext c, Embedding embedding, string name, string ids)
    {
        OnnxGraphBuilder g = c.Graph;
        long vocabulary = embedding.weight!.shape[0];
        string negative = g.Node("Less", name + ".negative_id", new[] { ids, g.Int64Constant(name + ".zero", new[] { 0L }) });
        string guarded = g.Node("Where", name + ".guarded_ids", new[] { negative, g.Int64Constant(name + ".vocabulary", new[] { vocabulary }), ids });
        return g.Node("Gather", name, new[] { g.Initializer(name + ".weight", embedding.weight!), guarded }, Int("axis", 0));
    }
}

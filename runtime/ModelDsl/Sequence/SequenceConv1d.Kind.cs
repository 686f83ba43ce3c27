using ModelDsl.Kinds;
using ModelDsl.Onnx;
using static ModelDsl.Onnx.OnnxGraphBuilder;

namespace ModelDsl;

// What the runtime knows about the sequence convolution as a layer kind.
public sealed partial class SequenceConv1d : IOnnxLayer
{
    bool ILayerKind.DrawsFromGlobalGenerator => false;

    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;

    /// <summary>[B, T, F] → [B, F, T] → Conv ([C, F, k] kernel) → [B, T', C]; same padding puts an odd extra zero at the end, as PyTorch does.</summary>
    string IOnnxLayer.ExportOnnx(LayerExportContext context, string name, string input)
    {
        OnnxGraphBuilder g = context.Graph;
        long total = Dilation * (Kernel - 1);
        long[] pads = Same ? new[] { total / 2, total - total / 2 } : new[] { Padding, Padding };
        var inputs = new System.Collections.Generic.List<string> { g.ChannelsFirst(name, input), g.Initializer(name + ".weight", weight) };
        if (bias is not null) inputs.Add(g.Initializer(name + ".bias", bias));
        string y = g.Node("Conv", name + ".conv", inputs,
            Ints("kernel_shape", new[] { Kernel }), Ints("strides", new[] { Stride }), Ints("dilations", new[] { Dilation }), Ints("pads", pads));
        return g.Node("Transpose", name, new[] { y }, Ints("perm", new long[] { 0, 2, 1 }));
    }
}

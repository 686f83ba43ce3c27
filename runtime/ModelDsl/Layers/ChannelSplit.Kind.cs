using ModelDsl.Kinds;
using ModelDsl.Onnx;

namespace ModelDsl;

// What the runtime knows about the channel split as a layer kind.
public sealed partial class ChannelSplit : IOnnxLayer
{
    bool ILayerKind.DrawsFromGlobalGenerator => false;

    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;

    /// <summary>ONNX Slice of channels [index·C/parts, (index + 1)·C/parts) on axis 1.</summary>
    string IOnnxLayer.ExportOnnx(LayerExportContext context, string name, string input)
    {
        OnnxGraphBuilder g = context.Graph;
        long size = context.Link.InputShape[1] / Parts;
        return g.Node("Slice", name, new[]
        {
            input, g.Int64Constant(name + ".starts", new[] { Index * size }, 1), g.Int64Constant(name + ".ends", new[] { (Index + 1) * size }, 1),
            g.Int64Constant(name + ".axes", new[] { 1L }, 1),
        });
    }
}

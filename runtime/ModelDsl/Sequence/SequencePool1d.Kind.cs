using ModelDsl.Kinds;
using ModelDsl.Onnx;
using static ModelDsl.Onnx.OnnxGraphBuilder;

namespace ModelDsl;

// What the runtime knows about the sequence pool as a layer kind.
public sealed partial class SequencePool1d : IOnnxLayer
{
    bool ILayerKind.DrawsFromGlobalGenerator => false;

    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;

    /// <summary>[B, T, F] → [B, F, T] → MaxPool / AveragePool over k steps → [B, T', F].</summary>
    string IOnnxLayer.ExportOnnx(LayerExportContext context, string name, string input)
    {
        OnnxGraphBuilder g = context.Graph;
        var window = new[] { Ints("kernel_shape", new[] { Kernel }), Ints("strides", new[] { Stride }), Ints("pads", new long[] { 0, 0 }) };
        string y = g.Node(Maximum ? "MaxPool" : "AveragePool", name + ".pool", new[] { g.ChannelsFirst(name, input) }, window);
        return g.Node("Transpose", name, new[] { y }, Ints("perm", new long[] { 0, 2, 1 }));
    }
}

using ModelDsl.Kinds;
using ModelDsl.Onnx;
using static ModelDsl.Onnx.OnnxGraphBuilder;

namespace ModelDsl;

// What the runtime knows about the per-pixel dense layer as a layer kind.
public sealed partial class ChannelDense : IOnnxLayer
{
    bool ILayerKind.DrawsFromGlobalGenerator => false;

    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;

    /// <summary>A 1×1 Conv with the weight reshaped to [units, C, 1, 1]: the same function, one node.</summary>
    string IOnnxLayer.ExportOnnx(LayerExportContext context, string name, string input)
    {
        OnnxGraphBuilder g = context.Graph;
        using var kernel = weight.reshape(Units, Channels, 1, 1);
        return g.Node("Conv", name, new[] { input, g.Initializer(name + ".weight", kernel), g.Initializer(name + ".bias", bias) }, Ints("kernel_shape", new long[] { 1, 1 }));
    }
}

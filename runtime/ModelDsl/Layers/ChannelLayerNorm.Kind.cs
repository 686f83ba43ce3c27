using ModelDsl.Kinds;
using ModelDsl.Onnx;
using static ModelDsl.Onnx.OnnxGraphBuilder;

namespace ModelDsl;

// What the runtime knows about the channel layer norm as a layer kind.
public sealed partial class ChannelLayerNorm : IOnnxLayer
{
    bool ILayerKind.DrawsFromGlobalGenerator => false;

    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;

    /// <summary>Transpose to channels-last, LayerNormalization over the last axis, Transpose back.</summary>
    string IOnnxLayer.ExportOnnx(LayerExportContext context, string name, string input)
    {
        OnnxGraphBuilder g = context.Graph;
        string last = g.Node("Transpose", name + ".last", new[] { input }, Ints("perm", new long[] { 0, 2, 3, 1 }));
        string scale = weight is null ? g.Ones(name + ".weight", Channels) : g.Initializer(name + ".weight", weight);
        string shift = bias is null ? g.Zeros(name + ".bias", Channels) : g.Initializer(name + ".bias", bias);
        string normalized = g.Node("LayerNormalization", name + ".norm", new[] { last, scale, shift }, Int("axis", -1), Float("epsilon", Eps));
        return g.Node("Transpose", name, new[] { normalized }, Ints("perm", new long[] { 0, 3, 1, 2 }));
    }
}

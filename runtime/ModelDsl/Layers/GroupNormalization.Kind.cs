using ModelDsl.Kinds;
using ModelDsl.Onnx;

namespace ModelDsl;

// What the runtime knows about group norm as a layer kind.
public sealed partial class GroupNormalization : IOnnxLayer
{
    bool ILayerKind.DrawsFromGlobalGenerator => false;

    /// <summary>Each sample's groups are normalized by their own statistics, never the batch's.</summary>
    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;

    string IOnnxLayer.ExportOnnx(LayerExportContext context, string name, string input)
        => context.Graph.GroupNorm(name, input, Groups, Eps, Weight, Bias, context.Rank);
}

using ModelDsl.Kinds;
using ModelDsl.Onnx;

namespace ModelDsl;

// What the runtime knows about the learned position embedding as a layer kind.
public sealed partial class PositionEmbedding : IOnnxLayer
{
    bool ILayerKind.DrawsFromGlobalGenerator => false;

    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;

    /// <summary>Add of the [1, T, D] initializer (broadcast over the batch).</summary>
    string IOnnxLayer.ExportOnnx(LayerExportContext context, string name, string input)
        => context.Graph.Node("Add", name, new[] { input, context.Graph.Initializer(name + ".pos_embedding", pos_embedding) });
}

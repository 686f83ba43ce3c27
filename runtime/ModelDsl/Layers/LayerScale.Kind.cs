using ModelDsl.Kinds;
using ModelDsl.Onnx;

namespace ModelDsl;

// What the runtime knows about layer scale as a layer kind.
public sealed partial class LayerScale : IOnnxLayer
{
    bool ILayerKind.DrawsFromGlobalGenerator => false;

    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;

    /// <summary>Mul by γ (broadcast).</summary>
    string IOnnxLayer.ExportOnnx(LayerExportContext context, string name, string input)
        => context.Graph.Node("Mul", name, new[] { input, context.Graph.Initializer(name + ".weight", weight) });
}

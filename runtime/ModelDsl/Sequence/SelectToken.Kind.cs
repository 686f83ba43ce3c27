using ModelDsl.Kinds;
using ModelDsl.Onnx;
using static ModelDsl.Onnx.OnnxGraphBuilder;

namespace ModelDsl;

// What the runtime knows about the token selection as a layer kind.
public sealed partial class SelectToken : IOnnxLayer
{
    bool ILayerKind.DrawsFromGlobalGenerator => false;

    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;

    /// <summary>Gather of the scalar index on axis 1, which drops that axis.</summary>
    string IOnnxLayer.ExportOnnx(LayerExportContext context, string name, string input)
        => context.Graph.Node("Gather", name, new[] { input, context.Graph.Int64Constant(name + ".index", new[] { Index }) }, Int("axis", 1));
}

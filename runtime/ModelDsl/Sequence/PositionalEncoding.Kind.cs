using ModelDsl.Kinds;
using ModelDsl.Onnx;

namespace ModelDsl;

// What the runtime knows about the positional encoding as a layer kind.
public sealed partial class PositionalEncoding : IOnnxLayer
{
    bool ILayerKind.DrawsFromGlobalGenerator => false;

    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;

    /// <summary>Adds the table's first T rows, T the probe's sequence length ([B, T, D] input).</summary>
    string IOnnxLayer.ExportOnnx(LayerExportContext context, string name, string input)
        => context.Graph.Node("Add", name, new[] { input, context.Graph.Initializer(name + ".pe", Table.narrow(0, 0, context.Link.InputShape[1])) });
}

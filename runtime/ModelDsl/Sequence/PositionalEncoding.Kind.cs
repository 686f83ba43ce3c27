using ModelDsl.Kinds;
using ModelDsl.Onnx;

namespace ModelDsl;

// What the runtime knows about the positional encoding as a layer kind.
public sealed partial class PositionalEncoding : IOnnxLayer
{
    bool ILayerKind.DrawsFromGlobalGenerator => false;

    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;

    /// <summary>
    /// Adds the table's first T rows, T the probe's sequence length ([B, T, D] input); in a graph with a dynamic sequence
    /// axis (<see cref="OnnxGraphBuilder.SequenceLength"/>) the first t rows, t read from the input's shape (Shape, Slice).
    /// </summary>
    string IOnnxLayer.ExportOnnx(LayerExportContext context, string name, string input)
    {
        OnnxGraphBuilder g = context.Graph;
        if (g.SequenceLength is null) return g.Node("Add", name, new[] { input, g.Initializer(name + ".pe", Table.narrow(0, 0, context.Link.InputShape[1])) });
        string steps = g.Node("Slice", name + ".steps", new[] { g.Node("Shape", name + ".shape", new[] { input }), g.Int64Constant(name + ".from", new long[] { 1 }, 1), g.Int64Constant(name + ".to", new long[] { 2 }, 1) });
        string rows = g.Node("Slice", name + ".rows", new[] { g.Initializer(name + ".pe", Table), g.Int64Constant(name + ".first_row", new long[] { 0 }, 1), steps, g.Int64Constant(name + ".row_axis", new long[] { 0 }, 1) });
        return g.Node("Add", name, new[] { input, rows });
    }
}

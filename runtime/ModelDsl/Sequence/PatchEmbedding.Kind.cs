using ModelDsl.Kinds;
using ModelDsl.Onnx;
using static ModelDsl.Onnx.OnnxGraphBuilder;

namespace ModelDsl;

// What the runtime knows about the patch embedding as a layer kind.
public sealed partial class PatchEmbedding : IOnnxLayer
{
    bool ILayerKind.DrawsFromGlobalGenerator => false;

    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;

    /// <summary>A Conv with kernel and stride P, then [B, D, h, w] → [B, h·w, D].</summary>
    string IOnnxLayer.ExportOnnx(LayerExportContext context, string name, string input)
    {
        OnnxGraphBuilder g = context.Graph;
        string conv = g.Conv(context.Model, name + ".proj", input, Projection, Projection.weight, Projection.bias);
        string flat = g.Node("Reshape", name + ".flat", new[] { conv, g.Int64Constant(name + ".flat_shape", new long[] { 0, Dimension, -1 }, 3) });
        return g.Node("Transpose", name, new[] { flat }, Ints("perm", new long[] { 0, 2, 1 }));
    }
}

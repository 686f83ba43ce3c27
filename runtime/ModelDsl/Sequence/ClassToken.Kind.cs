using ModelDsl.Kinds;
using ModelDsl.Onnx;
using static ModelDsl.Onnx.OnnxGraphBuilder;

namespace ModelDsl;

// What the runtime knows about the class token as a layer kind.
public sealed partial class ClassToken : IOnnxLayer
{
    bool ILayerKind.DrawsFromGlobalGenerator => false;

    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;

    /// <summary>The token Expand-ed to [B, 1, D] (B read from the input's Shape), then Concat in front along axis 1.</summary>
    string IOnnxLayer.ExportOnnx(LayerExportContext context, string name, string input)
    {
        OnnxGraphBuilder g = context.Graph;
        string batch = g.Node("Slice", name + ".batch", new[]
        {
            g.Node("Shape", name + ".shape", new[] { input }), g.Int64Constant(name + ".zero", new[] { 0L }, 1), g.Int64Constant(name + ".one", new[] { 1L }, 1),
        });
        string target = g.Node("Concat", name + ".target", new[] { batch, g.Int64Constant(name + ".rest", new[] { 1L, Dimension }, 2) }, Int("axis", 0));
        string tokens = g.Node("Expand", name + ".tokens", new[] { g.Initializer(name + ".class_token", class_token), target });
        return g.Node("Concat", name, new[] { tokens, input }, Int("axis", 1));
    }
}

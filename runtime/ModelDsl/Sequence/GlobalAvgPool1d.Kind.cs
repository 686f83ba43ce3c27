using ModelDsl.Kinds;
using ModelDsl.Onnx;
using static ModelDsl.Onnx.OnnxGraphBuilder;

namespace ModelDsl;

// What the runtime knows about the sequence mean as a layer kind.
public sealed partial class GlobalAvgPool1d : IOnnxLayer
{
    bool ILayerKind.DrawsFromGlobalGenerator => false;

    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;

    /// <summary>The mean over the steps, or over the unpadded steps when the generated forward passes this layer the mask.</summary>
    string IOnnxLayer.ExportOnnx(LayerExportContext context, string name, string input)
        => context.LayerMask is { } mask
            ? MaskedMean(context.Graph, name, input, mask)
            : context.Graph.Node("ReduceMean", name, new[] { input }, Ints("axes", new long[] { 1 }), Int("keepdims", 0));

    /// <summary>
    /// The mean over the unpadded steps: Σ_t x_t·[not m_t] / max(1, Σ_t [not m_t]); padded steps are replaced by 0
    /// (Where), not multiplied, so whatever they hold cannot leak in.
    /// </summary>
    private static string MaskedMean(OnnxGraphBuilder g, string name, string x, string paddingMask)
    {
        string steps = g.Node("Unsqueeze", name + ".mask_steps", new[] { paddingMask, g.Int64Constant(name + ".feature_axis", new long[] { 2 }, 1) });   // [B, T, 1]
        string kept = g.Node("Where", name + ".kept", new[] { steps, g.Constant(name + ".zero", new[] { 0.0 }), x });
        string axis = g.Int64Constant(name + ".time_axis", new long[] { 1 }, 1);
        string sum = g.Node("ReduceSum", name + ".sum", new[] { kept, axis }, Int("keepdims", 0));                                                        // [B, F]
        string present = g.Node("Cast", name + ".present", new[] { g.Node("Not", name + ".not_padding", new[] { steps }) }, Int("to", (long)g.ElementType));
        string count = g.Node("Max", name + ".count", new[] { g.Node("ReduceSum", name + ".steps", new[] { present, axis }, Int("keepdims", 0)), g.Constant(name + ".one", new[] { 1.0 }) });
        return g.Node("Div", name, new[] { sum, count });
    }
}

using ModelDsl.Kinds;
using ModelDsl.Onnx;
using static ModelDsl.Onnx.OnnxGraphBuilder;

namespace ModelDsl;

// What the runtime knows about ModelDsl's batch norm as a layer kind.
public sealed partial class BatchNormalization : IOnnxLayer
{
    bool ILayerKind.DrawsFromGlobalGenerator => false;

    /// <summary>Training normalizes with the batch's mean and variance, so a batch of one sample has no variance.</summary>
    bool ILayerKind.HasBatchStatistics => true;

    /// <summary>It always keeps running statistics: eval and ONNX use them, and a Dense or Conv2d before it can fold them in.</summary>
    RunningStatistics? ILayerKind.RunningStatistics => new(Weight, Bias, RunningMean, RunningVar, Eps, Features);

    /// <summary>
    /// Eval-mode batch norm as ONNX BatchNormalization; a sequence [B, T, C] is transposed around it, since the node reads
    /// channels at axis 1.
    /// </summary>
    string IOnnxLayer.ExportOnnx(LayerExportContext context, string name, string input)
    {
        OnnxGraphBuilder g = context.Graph;
        RunningStatistics statistics = ((ILayerKind)this).RunningStatistics!;
        if (!FeaturesLast) return g.RunningStatsNorm(name, input, statistics);
        string normalized = g.RunningStatsNorm(name + ".norm", g.ChannelsFirst(name, input), statistics);
        return g.Node("Transpose", name, new[] { normalized }, Ints("perm", new long[] { 0, 2, 1 }));
    }
}

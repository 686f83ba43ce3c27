using ModelDsl.Kinds;
using ModelDsl.Onnx;

namespace ModelDsl;

// What the runtime knows about weight-scaling dropout as a layer kind.
public sealed partial class WeightScalingDropout : IOnnxLayer
{
    /// <summary>Its Bernoulli mask comes from the global generator in training.</summary>
    bool ILayerKind.DrawsFromGlobalGenerator => true;

    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;

    /// <summary>Eval multiplies by the keep probability: one Mul.</summary>
    string IOnnxLayer.ExportOnnx(LayerExportContext context, string name, string input)
        => context.Graph.Node("Mul", name, new[] { input, context.Graph.Constant(name + ".keep", new[] { Keep }) });
}

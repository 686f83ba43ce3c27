using ModelDsl.Kinds;
using ModelDsl.Onnx;

namespace ModelDsl;

// What the runtime knows about stochastic depth as a layer kind.
public sealed partial class StochasticDepth : IOnnxLayer
{
    /// <summary>Its Bernoulli draw in training comes from the global generator (none at p = 0).</summary>
    bool ILayerKind.DrawsFromGlobalGenerator => P > 0;

    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;

    /// <summary>The identity: ONNX holds the eval-mode graph.</summary>
    string IOnnxLayer.ExportOnnx(LayerExportContext context, string name, string input) => input;
}

using ModelDsl.Kinds;
using ModelDsl.Onnx;

namespace ModelDsl;

// What the runtime knows about Gaussian noise as a layer kind.
public sealed partial class GaussianNoise : IOnnxLayer
{
    /// <summary>randn_like draws from the global generator in training; σ = 0 adds nothing and draws nothing.</summary>
    bool ILayerKind.DrawsFromGlobalGenerator => Std > 0;

    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;

    /// <summary>The identity in eval: no node.</summary>
    string IOnnxLayer.ExportOnnx(LayerExportContext context, string name, string input) => input;
}

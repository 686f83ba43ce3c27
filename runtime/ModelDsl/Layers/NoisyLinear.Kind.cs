using ModelDsl.Kinds;
using ModelDsl.Onnx;

namespace ModelDsl;

// What the runtime knows about a Dense layer with weight noise as a layer kind.
public sealed partial class NoisyLinear : IOnnxLayer
{
    /// <summary>The weight noise is drawn from the global generator in training; σ = 0 draws nothing.</summary>
    bool ILayerKind.DrawsFromGlobalGenerator => Std > 0;

    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;

    /// <summary>Eval uses the clean weights: a plain dense map.</summary>
    string IOnnxLayer.ExportOnnx(LayerExportContext context, string name, string input)
        => context.Graph.Dense(name, input, context.Rank, weight, bias);
}

using ModelDsl.Kinds;
using ModelDsl.Onnx;

namespace ModelDsl;

// What the runtime knows about the tied output projection as a layer kind.
public sealed partial class TiedLinear : IOnnxLayer
{
    bool ILayerKind.DrawsFromGlobalGenerator => false;

    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;

    /// <summary>A dense map with the embedding's table as its weight (written again as this layer's initializer).</summary>
    /// <exception cref="OnnxExportException">Not tied to an embedding.</exception>
    string IOnnxLayer.ExportOnnx(LayerExportContext context, string name, string input)
        => context.Graph.Dense(name, input, context.Rank, Weight ?? throw new OnnxExportException(context.Model, name, "the tied projection is not tied to an embedding"), Bias);
}

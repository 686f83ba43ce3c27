using ModelDsl.Kinds;
using ModelDsl.Onnx;

namespace ModelDsl;

// What the runtime knows about one encoder layer. It is not a chain layer of its own: its TransformerEncoder writes
// its ONNX nodes, so it implements only ILayerKind.
public sealed partial class TransformerEncoderLayer : ILayerKind
{
    /// <summary>Its dropouts are registered Dropout children (dropout, dropout1, dropout2) and count on their own.</summary>
    bool ILayerKind.DrawsFromGlobalGenerator => false;

    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;
}

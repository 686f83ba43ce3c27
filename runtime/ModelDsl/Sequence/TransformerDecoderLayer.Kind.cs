using ModelDsl.Kinds;
using ModelDsl.Onnx;

namespace ModelDsl;

// What the runtime knows about the decoder as a layer kind. It reads two tensors (target and memory), so it is no chain
// layer and has no ONNX form yet: it implements only ILayerKind.
public sealed partial class TransformerDecoderLayer : ILayerKind
{
    /// <summary>Its dropouts are registered Dropout children and count on their own.</summary>
    bool ILayerKind.DrawsFromGlobalGenerator => false;

    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;
}

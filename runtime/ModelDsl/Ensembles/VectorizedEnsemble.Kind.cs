using ModelDsl.Kinds;
using ModelDsl.Onnx;

namespace ModelDsl;

// What the runtime knows about this container: nothing of its own. Its children (the stack and the aggregator) are
// modules and answer for themselves when a trait walks the model. Not a chain layer, so it implements only
// ILayerKind.
public partial class VectorizedEnsemble : ILayerKind
{
    bool ILayerKind.DrawsFromGlobalGenerator => false;

    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;
}

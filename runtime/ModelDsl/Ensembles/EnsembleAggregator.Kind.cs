using ModelDsl.Kinds;
using ModelDsl.Onnx;

namespace ModelDsl;

// What the runtime knows about the aggregator: its rule combines the members' outputs without drawing or batch
// statistics. An ensemble export writes it (AggregationExporter), not a chain, so it implements only ILayerKind.
public sealed partial class EnsembleAggregator : ILayerKind
{
    bool ILayerKind.DrawsFromGlobalGenerator => false;

    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;
}

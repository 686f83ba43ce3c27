using System.Linq;
using ModelDsl.Kinds;
using ModelDsl.Onnx;

namespace ModelDsl;

// What the runtime knows about a vectorized member stack. It is not a chain layer: an ensemble export writes each
// member from its layer description (VectorizedMemberExporter), so it implements only ILayerKind.
public sealed partial class VectorizedDenseStack : ILayerKind
{
    /// <summary>Whether one of its layers draws in training (<see cref="VectorizedLayer.DrawsFromGlobalGenerator"/>).</summary>
    bool ILayerKind.DrawsFromGlobalGenerator => layers.Any(l => l.DrawsFromGlobalGenerator);

    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;
}

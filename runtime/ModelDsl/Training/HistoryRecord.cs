using System.Collections.Generic;

namespace ModelDsl.Training;

/// <summary>The metrics of one check (end of an epoch, or every N batches): training values averaged since the previous check, validation values on the whole validation set.</summary>
/// <param name="Epoch">1-based epoch the check happened in.</param>
/// <param name="Step">Number of optimizer steps since training began.</param>
/// <param name="Values">Metric name → value (<c>loss</c>, <c>accuracy</c>, <c>val_loss</c>, <c>val_accuracy</c>, …).</param>
public sealed record HistoryRecord(int Epoch, long Step, IReadOnlyDictionary<string, double> Values)
{
    /// <summary>The value of <paramref name="metric"/>, or NaN when this check did not record it.</summary>
    public double this[string metric] => Values.TryGetValue(metric, out double value) ? value : double.NaN;
}

using System.Collections.Generic;

namespace ModelDsl.Training;

/// <summary>Per-metric means over batches weighted by batch size, so a short last batch counts for what it holds.</summary>
internal sealed class WeightedMeans
{
    private readonly Dictionary<string, (double Sum, long Count)> totals = new();

    public bool IsEmpty => totals.Count == 0;

    public void Add(string name, double batchMean, long samples)
    {
        totals.TryGetValue(name, out var total);
        totals[name] = (total.Sum + batchMean * samples, total.Count + samples);
    }

    public double Mean(string name) => totals.TryGetValue(name, out var total) ? total.Sum / total.Count : double.NaN;

    public Dictionary<string, double> Means()
    {
        var means = new Dictionary<string, double>();
        foreach (var (name, total) in totals) means[name] = total.Sum / total.Count;
        return means;
    }

    public void Clear() => totals.Clear();
}

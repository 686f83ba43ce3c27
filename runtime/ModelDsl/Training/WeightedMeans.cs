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

    /// <summary>The sums and counts, for a checkpoint (a check every N batches may span epochs).</summary>
    public byte[] ToBytes()
    {
        using var stream = new System.IO.MemoryStream();
        using (var writer = new System.IO.BinaryWriter(stream))
        {
            writer.Write(totals.Count);
            foreach (var (name, (sum, count)) in totals)
            {
                writer.Write(name);
                writer.Write(sum);
                writer.Write(count);
            }
        }
        return stream.ToArray();
    }

    /// <summary>Replaces the sums and counts with those <see cref="ToBytes"/> wrote.</summary>
    public void Load(byte[] bytes)
    {
        using var reader = new System.IO.BinaryReader(new System.IO.MemoryStream(bytes));
        totals.Clear();
        for (int i = reader.ReadInt32(); i > 0; i--) totals[reader.ReadString()] = (reader.ReadDouble(), reader.ReadInt64());
    }
}

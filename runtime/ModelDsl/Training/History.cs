using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace ModelDsl.Training;

/// <summary>Every check's metrics in order, as the trainer recorded them.</summary>
public sealed class History
{
    private readonly List<HistoryRecord> records = new();

    /// <summary>The records, oldest first.</summary>
    public IReadOnlyList<HistoryRecord> Records => records;

    /// <summary>The metric names that occur in any record, in first-seen order.</summary>
    public IReadOnlyList<string> MetricNames => records.SelectMany(r => r.Values.Keys).Distinct().ToList();

    /// <summary>One metric's values over the checks (NaN where a check lacks it).</summary>
    public double[] Values(string metric) => records.Select(r => r[metric]).ToArray();

    /// <summary>Appends a record.</summary>
    public void Add(HistoryRecord record) => records.Add(record);

    /// <summary>The history as CSV: <c>epoch,step,</c> then one column per metric (invariant culture, round-trip precision).</summary>
    public string ToCsv()
    {
        var names = MetricNames;
        var text = new StringBuilder("epoch,step");
        foreach (string name in names) text.Append(',').Append(name);
        text.Append('\n');
        foreach (var record in records)
        {
            text.Append(record.Epoch.ToString(CultureInfo.InvariantCulture)).Append(',').Append(record.Step.ToString(CultureInfo.InvariantCulture));
            foreach (string name in names)
            {
                text.Append(',');
                if (record.Values.TryGetValue(name, out double value)) text.Append(value.ToString("R", CultureInfo.InvariantCulture));
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Parses <see cref="ToCsv"/>'s output (used by checkpoints, so a resumed run keeps its history).</summary>
    public static History FromCsv(string csv)
    {
        var history = new History();
        string[] lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0) return history;
        string[] header = lines[0].Split(',');
        foreach (string line in lines.Skip(1))
        {
            string[] cells = line.Split(',');
            var values = new Dictionary<string, double>();
            for (int i = 2; i < header.Length; i++)
                if (cells[i].Length > 0) values[header[i]] = double.Parse(cells[i], CultureInfo.InvariantCulture);
            history.Add(new HistoryRecord(int.Parse(cells[0], CultureInfo.InvariantCulture), long.Parse(cells[1], CultureInfo.InvariantCulture), values));
        }
        return history;
    }

    /// <summary>Writes <see cref="ToCsv"/> to <paramref name="path"/>.</summary>
    public void SaveCsv(string path)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        File.WriteAllText(path, ToCsv());
    }
}

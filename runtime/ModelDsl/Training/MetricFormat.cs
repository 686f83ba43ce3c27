using System.Globalization;
using System.Linq;

namespace ModelDsl.Training;

/// <summary>Formats a record's metrics the same way for every reporter (the plain and Spectre ones, and yours): <c>loss 0.1234  accuracy 0.9650 …</c>.</summary>
public static class MetricFormat
{
    /// <summary>The record's metrics as <c>name value</c> pairs, four decimals, invariant culture, two spaces apart.</summary>
    public static string Of(HistoryRecord record)
        => string.Join("  ", record.Values.Select(kv => kv.Key + " " + kv.Value.ToString("0.0000", CultureInfo.InvariantCulture)));
}

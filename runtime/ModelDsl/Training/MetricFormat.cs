using System.Globalization;
using System.Linq;

namespace ModelDsl.Training;

/// <summary>Formats a record's metrics the same way for every reporter: <c>loss 0.1234  accuracy 0.9650 …</c>.</summary>
internal static class MetricFormat
{
    public static string Of(HistoryRecord record)
        => string.Join("  ", record.Values.Select(kv => kv.Key + " " + kv.Value.ToString("0.0000", CultureInfo.InvariantCulture)));
}

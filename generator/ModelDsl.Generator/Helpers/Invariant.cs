using System.Globalization;

namespace ModelDsl.Generator.Helpers;

/// <summary>Numbers written into generated code and messages: invariant culture, round-trip exact.</summary>
internal static class Invariant
{
    /// <summary>A C# double literal that parses back to exactly <paramref name="value"/> (0.5 stays 0.5, never 0,5).</summary>
    public static string Double(double value)
    {
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains(".") || text.Contains("E") || text.Contains("N") || text.Contains("I") ? text : text + ".0";
    }

    /// <summary>A short human form for tables and messages (4 significant digits).</summary>
    public static string Short(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>A count with thousands separators: 204,042.</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}

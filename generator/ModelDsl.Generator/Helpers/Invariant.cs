using System.Globalization;

namespace ModelDsl.Generator.Helpers;

/// <summary>Numbers in messages, comments and the summary table: invariant culture (code literals: Emit/CSharp).</summary>
internal static class Invariant
{
    /// <summary>A short human form for tables and messages (4 significant digits).</summary>
    public static string Short(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>A count with thousands separators: 204,042.</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}

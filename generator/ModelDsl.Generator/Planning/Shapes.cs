using System.Linq;
using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Planning;

/// <summary>Shape helpers: shapes exclude the batch dimension and print with it, as [B, 256].</summary>
internal static class Shapes
{
    public static string Format(EquatableArray<long> shape)
    {
        var text = new System.Text.StringBuilder(3 + 8 * shape.Count).Append("[B");
        foreach (long d in shape) text.Append(", ").Append(d);
        return text.Append(']').ToString();
    }

    public static EquatableArray<long> Of(params long[] dims) => dims.ToEquatableArray();

    /// <summary>The number of elements; checked, so an overflow is OverflowException (MD0057), never a negative size.</summary>
    public static long Product(EquatableArray<long> shape) => shape.Aggregate(1L, (a, b) => checked(a * b));
}

using System.Linq;
using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Planning;

/// <summary>Shape helpers: shapes exclude the batch dimension and print with it, as [B, 256].</summary>
internal static class Shapes
{
    public static string Format(EquatableArray<long> shape) => "[B" + string.Concat(shape.Select(d => ", " + d)) + "]";

    public static EquatableArray<long> Of(params long[] dims) => dims.ToEquatableArray();

    /// <summary>The number of elements; checked, so an overflow is OverflowException (MD0057), never a negative size.</summary>
    public static long Product(EquatableArray<long> shape) => shape.Aggregate(1L, (a, b) => checked(a * b));
}

using System.Linq;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Emit;

/// <summary>Writes a <see cref="CallPlan"/> as a C# expression; the layer's local (or field) name stands in for its parameters.</summary>
internal static class CallWriter
{
    public static string Write(CallPlan call, string? layer = null)
        => (call.IsConstructor ? "new " : "") + call.Callee + "(" + string.Join(", ", call.Arguments.Select(a => Argument(a, layer))) + ")";

    private static string Argument(CallArgument argument, string? layer)
        => (argument.Name is null ? "" : argument.Name + ": ") + Value(argument, layer);

    private static string Value(CallArgument argument, string? layer) => argument.Kind switch
    {
        CallValueKind.Long => CSharp.Long(argument.Longs[0]),
        CallValueKind.Double => CSharp.Double(argument.Number),
        CallValueKind.Bool => CSharp.Bool(argument.Number != 0),
        CallValueKind.LongArray => "new long[] { " + string.Join(", ", argument.Longs.Select(CSharp.Long)) + " }",
        CallValueKind.DoubleArray => "new double[] { " + string.Join(", ", argument.Longs.Select(bits => CSharp.Double(System.BitConverter.Int64BitsToDouble(bits)))) + " }",
        CallValueKind.Call => Write(argument.Inner!, layer),
        CallValueKind.Parameter => layer + "." + argument.Symbol + (argument.Number != 0 ? "!" : ""),
        _ => argument.Symbol!,
    };
}

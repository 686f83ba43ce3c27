using System.Linq;
using System.Text;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Emit;

/// <summary>Writes a <see cref="CallPlan"/> as a C# expression; the layer's local (or field) name stands in for its parameters.</summary>
internal static class CallWriter
{
    // One builder per call (nested calls included): every layer's construction and initializers go through here, for
    // every model on every cold run, and joining per-argument strings allocated several times the text written.
    public static string Write(CallPlan call, string? layer = null) => Append(new StringBuilder(128), call, layer).ToString();

    private static StringBuilder Append(StringBuilder text, CallPlan call, string? layer)
    {
        if (call.IsConstructor) text.Append("new ");
        text.Append(call.Callee).Append('(');
        for (int i = 0; i < call.Arguments.Count; i++)
        {
            if (i > 0) text.Append(", ");
            CallArgument argument = call.Arguments[i];
            if (argument.Name is not null) text.Append(argument.Name).Append(": ");
            AppendValue(text, argument, layer);
        }
        return text.Append(')');
    }

    private static void AppendValue(StringBuilder text, CallArgument argument, string? layer)
    {
        switch (argument.Kind)
        {
            case CallValueKind.Long: text.Append(CSharp.Long(argument.Longs[0])); break;
            case CallValueKind.Double: text.Append(CSharp.Double(argument.Number)); break;
            case CallValueKind.Bool: text.Append(CSharp.Bool(argument.Number != 0)); break;
            case CallValueKind.LongArray: text.Append("new long[] { ").Append(string.Join(", ", argument.Longs.Select(CSharp.Long))).Append(" }"); break;
            case CallValueKind.DoubleArray: text.Append("new double[] { ").Append(string.Join(", ", argument.Longs.Select(bits => CSharp.Double(System.BitConverter.Int64BitsToDouble(bits))))).Append(" }"); break;
            case CallValueKind.Call: Append(text, argument.Inner!, layer); break;
            case CallValueKind.Parameter:
                text.Append(layer).Append('.').Append(argument.Symbol);
                if (argument.Number != 0) text.Append('!');
                break;
            default: text.Append(argument.Symbol); break;
        }
    }
}

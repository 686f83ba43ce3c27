using System.Collections.Generic;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning;

/// <summary>
/// Checks every argument of every ModelDsl attribute before any rule reads it, so no rule has to: numbers are finite
/// (NaN and ±∞ are legal C# constants, but no option means anything with them; MD0050) and enum values name a member
/// of their enum (<c>(Init)42</c> compiles; MD0051). Reported at the argument.
/// </summary>
internal static class ArgumentChecks
{
    public static void Check(AttributeDeclaration attribute, List<DiagnosticInfo> diagnostics)
    {
        foreach (ArgumentValue argument in attribute.Arguments)
        {
            LocationInfo? at = argument.Location ?? attribute.Location;
            switch (argument.Kind)
            {
                case ArgumentKind.Number when !IsFinite(argument.Number):
                    diagnostics.Add(Diag(Descriptors.NotFinite, at, "[" + attribute.Name + "]", argument.Name, Invariant.Short(argument.Number)));
                    break;
                case ArgumentKind.Array:
                    foreach (double item in argument.Items)
                    {
                        if (IsFinite(item)) continue;
                        diagnostics.Add(Diag(Descriptors.NotFinite, at, "[" + attribute.Name + "]", "every item of " + argument.Name, Invariant.Short(item)));
                        break;
                    }
                    break;
                case ArgumentKind.UndefinedEnum:
                    diagnostics.Add(Diag(Descriptors.UndefinedEnumValue, at, "[" + attribute.Name + "]", argument.Name, Invariant.Short(argument.Number), argument.Text ?? "type"));
                    break;
            }
        }
    }

    private static bool IsFinite(double value) => !double.IsNaN(value) && !double.IsInfinity(value);

    private static DiagnosticInfo Diag(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, LocationInfo? at, params string[] arguments)
        => new(descriptor.Id, at, arguments.ToEquatableArray());
}

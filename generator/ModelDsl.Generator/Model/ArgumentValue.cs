using System;
using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Model;

internal enum ArgumentKind { Number, Boolean, Text, Enum, Array, Null }

/// <summary>
/// One attribute argument as a constant: positional ones are named after their constructor parameter with a
/// capital first letter (units → Units), named ones keep their property name. Enums carry their member name.
/// </summary>
internal sealed record ArgumentValue(string Name, ArgumentKind Kind, double Number, string? Text, EquatableArray<double> Items)
{
    public bool IsPositional { get; init; }
}

using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Model;

/// <summary>What an argument holds. <see cref="UndefinedEnum"/> is an enum value that names no member of its enum (<c>(Init)42</c>).</summary>
internal enum ArgumentKind { Number, Boolean, Text, Enum, Array, Null, UndefinedEnum }

/// <summary>
/// One attribute argument as a constant: positional ones are named after their constructor parameter with a
/// capital first letter (units → Units), named ones keep their property name. Enums carry their member name
/// (an undefined enum value carries its enum's name). <see cref="Location"/> is the argument's own location, when
/// locations are read.
/// </summary>
internal sealed record ArgumentValue(string Name, ArgumentKind Kind, double Number, string? Text, EquatableArray<double> Items)
{
    public bool IsPositional { get; init; }

    public LocationInfo? Location { get; init; }

    /// <summary>
    /// In a [Block] template, the argument's source text when it names a template parameter (<c>Squeeze</c>,
    /// <c>Width * 4</c>): each use evaluates it with its own values. Null for a plain constant.
    /// </summary>
    public string? Expression { get; init; }
}

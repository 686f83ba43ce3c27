using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Model;

/// <summary>One ModelDsl attribute as written: its short name (<c>Dense</c>), arguments and location.</summary>
internal sealed record AttributeDeclaration(string Name, EquatableArray<ArgumentValue> Arguments, LocationInfo? Location)
{
    /// <summary>True for a layer attribute the user derived from LayerAttribute outside ModelDsl (MD0055).</summary>
    public bool IsCustom { get; init; }

    public ArgumentValue? Find(string name)
    {
        foreach (ArgumentValue argument in Arguments)
        {
            if (argument.Name == name) return argument;
        }
        return null;
    }

    public bool Has(string name) => Find(name) is not null;

    public double Number(string name, double fallback) => Find(name) is { Kind: ArgumentKind.Number or ArgumentKind.Enum } a ? a.Number : fallback;

    public bool Boolean(string name, bool fallback) => Find(name) is { Kind: ArgumentKind.Boolean } a ? a.Number != 0 : fallback;

    public string? Text(string name) => Find(name)?.Text;

    /// <summary>An enum argument's member name, or <paramref name="fallback"/> when absent.</summary>
    public string EnumMember(string name, string fallback) => Find(name) is { Kind: ArgumentKind.Enum, Text: { } t } ? t : fallback;
}

using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Model;

/// <summary>
/// Where the model class lives, as data (CommunityToolkit.Mvvm's HierarchyInfo): its namespace (null for the global
/// one, dotted and unescaped), the chain of containing types outermost first, the model type itself, and the base of
/// its file names. <c>Emit/TypeScope</c> opens and closes this chain for the model and its ensemble alike.
/// </summary>
internal sealed record TypeHierarchy(
    string? Namespace,
    EquatableArray<TypeDeclarationInfo> ContainingTypes,
    TypeDeclarationInfo Model,
    string HintName)
{
    /// <summary>The model's simple name (Mlp), as the user spelled it without '@'.</summary>
    public string TypeName => Model.Name;
}

/// <summary>One type declaration to re-open: its keyword (class, record, struct, record struct, interface), name, type parameters and declared accessibility (C# keywords, e.g. "public", "private protected").</summary>
internal sealed record TypeDeclarationInfo(string Keyword, string Name, EquatableArray<TypeParameterInfo> TypeParameters, string Accessibility);

/// <summary>
/// A type parameter and its constraints, so a generic model's ensemble can declare the same parameters. Constraint
/// types are fully qualified (global::) names; the flags are the special constraints in C#'s order.
/// </summary>
internal sealed record TypeParameterInfo(
    string Name,
    bool ReferenceType,
    bool ValueType,
    bool Unmanaged,
    bool NotNull,
    EquatableArray<string> ConstraintTypes,
    bool Constructor);

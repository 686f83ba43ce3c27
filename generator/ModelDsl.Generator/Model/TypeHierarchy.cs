using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Model;

/// <summary>
/// Where the model class lives: its namespace (null for the global one) and the chain of containing types,
/// outermost first, each as the declaration header to re-open (<c>partial class Outer&lt;T&gt;</c>).
/// </summary>
internal sealed record TypeHierarchy(
    string? Namespace,
    EquatableArray<string> ContainingDeclarations,
    string TypeName,
    string TypeNameWithParameters,
    string HintName);

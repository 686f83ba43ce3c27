using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Emit;

/// <summary>
/// Opens and closes the namespace and containing types of a model (CommunityToolkit.Mvvm's HierarchyInfo.Syntax), and
/// names types in them; shared by the model and the ensemble emitters. Below C# 10 the namespace is a block
/// (file-scoped namespaces need C# 10; ModelDsl supports C# 9 and up, MD0052 below).
/// </summary>
internal static class TypeScope
{
    public static void Open(SourceWriter w, TypeHierarchy type, bool fileScopedNamespace)
    {
        if (type.Namespace is not null)
        {
            if (fileScopedNamespace) w.Line($"namespace {CSharp.Namespace(type.Namespace)};").Line();
            else w.Open($"namespace {CSharp.Namespace(type.Namespace)}");
        }
        foreach (TypeDeclarationInfo container in type.ContainingTypes) w.Open($"partial {container.Keyword} {NameWithParameters(container)}");
    }

    public static void Close(SourceWriter w, TypeHierarchy type, bool fileScopedNamespace)
    {
        foreach (TypeDeclarationInfo _ in type.ContainingTypes) w.Close();
        if (type.Namespace is not null && !fileScopedNamespace) w.Close();
    }

    /// <summary><c>Name&lt;T, U&gt;</c>, keywords escaped.</summary>
    public static string NameWithParameters(TypeDeclarationInfo type)
        => CSharp.Identifier(type.Name) + TypeParameterList(type.TypeParameters);

    /// <summary><c>&lt;T, U&gt;</c>, or nothing for a non-generic type.</summary>
    public static string TypeParameterList(EquatableArray<TypeParameterInfo> parameters)
        => parameters.Count == 0 ? "" : "<" + string.Join(", ", parameters.Select(p => CSharp.Identifier(p.Name))) + ">";

    /// <summary>The model's global::-qualified name (a same-named type elsewhere cannot capture it).</summary>
    public static string QualifiedName(TypeHierarchy type)
    {
        var parts = new List<string>();
        if (type.Namespace is not null) parts.Add(CSharp.Namespace(type.Namespace));
        foreach (TypeDeclarationInfo container in type.ContainingTypes) parts.Add(NameWithParameters(container));
        parts.Add(NameWithParameters(type.Model));
        return "global::" + string.Join(".", parts);
    }

    /// <summary>The where clauses of the model's type parameters (for a generic model's ensemble), one per line.</summary>
    public static IEnumerable<string> Constraints(EquatableArray<TypeParameterInfo> parameters)
    {
        foreach (TypeParameterInfo p in parameters)
        {
            var constraints = new List<string>();
            if (p.ReferenceType) constraints.Add("class");
            if (p.Unmanaged) constraints.Add("unmanaged");
            else if (p.ValueType) constraints.Add("struct");
            if (p.NotNull) constraints.Add("notnull");
            constraints.AddRange(p.ConstraintTypes);
            if (p.Constructor) constraints.Add("new()");
            if (constraints.Count > 0) yield return $"where {CSharp.Identifier(p.Name)} : {string.Join(", ", constraints)}";
        }
    }
}

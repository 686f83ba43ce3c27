using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace ModelDsl.Generator.Parsing;

/// <summary>
/// Whether a model's hint name could agree ignoring case with another's (Windows and macOS file systems; Roslyn refuses
/// such names): true when its name, a containing type's or a namespace segment's has a twin in the compilation that
/// differs only in case (Demo.Mlp and Demo.MLP; Demo.Models and Demo.models). Type and namespace names are one pool:
/// the file of Demo.net.Mlp (namespace net) agrees with that of Demo.Net.Mlp (nested in class Net). Such models take a hash of their exact
/// name (<see cref="Helpers.HintNames.Disambiguated"/>), so the parse step decides each model's file name by itself and the
/// pipeline needs no step that collects every model's name (a step that walks all models on every edit).
/// Conservative: a twin anywhere in the assembly counts, even one in another namespace, which costs only a suffix.
/// </summary>
internal static class CaseTwins
{
    public static bool Has(INamedTypeSymbol type)
    {
        HashSet<string> twins = ByAssembly.GetValue(type.ContainingAssembly, static assembly => WithTwins(assembly.TypeNames.Concat(assembly.NamespaceNames)));
        for (INamedTypeSymbol t = type; ; t = t.ContainingType)
        {
            if (t.ContainingType is { } container)
            {
                // Nested types: compared with their siblings (the assembly's name set need not list nested types).
                if (container.GetTypeMembers().Any(s => s.Name != t.Name && string.Equals(s.Name, t.Name, System.StringComparison.OrdinalIgnoreCase))) return true;
                continue;
            }
            if (twins.Contains(t.Name)) return true;
            break;
        }
        for (INamespaceSymbol? ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            if (twins.Contains(ns.Name)) return true;
        }
        return false;
    }

    /// <summary>Computed once per compilation (its assembly symbol), from the names the compiler's declaration table already holds.</summary>
    private static readonly ConditionalWeakTable<IAssemblySymbol, HashSet<string>> ByAssembly = new();

    /// <summary>The names that another name equals ignoring case (usually none).</summary>
    private static HashSet<string> WithTwins(IEnumerable<string> names)
    {
        var first = new Dictionary<string, string>(System.StringComparer.OrdinalIgnoreCase);
        var twins = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (string name in names)
        {
            if (!first.TryGetValue(name, out string? seen)) first.Add(name, name);
            else if (seen != name) { twins.Add(seen); twins.Add(name); }
        }
        return twins;
    }
}

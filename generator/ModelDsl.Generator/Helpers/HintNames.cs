using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace ModelDsl.Generator.Helpers;

/// <summary>
/// File names (hint names) of generated sources. Roslyn requires them unique ignoring case and made of file-name
/// characters, and the file system limits a name to 255 bytes, which EmitCompilerGeneratedFiles writes to disk. A
/// model's file is <c>Namespace.Outer.Type.g.cs</c> with every character other than ASCII letters, digits and
/// <c>. _ - + `</c> replaced by '_' (a file-local class's metadata name holds '&lt;'), shortened with a hash of the full
/// name when longer than <see cref="MaxBaseLength"/>; a model whose name has a twin differing only in case
/// (<see cref="Parsing.CaseTwins"/>) gets the hash of its exact name appended (<see cref="Disambiguated"/>).
/// </summary>
internal static class HintNames
{
    public const int MaxBaseLength = 100;

    /// <summary>The readable base of a model's hint name, without ".g.cs".</summary>
    public static string Base(string? ns, IReadOnlyList<string> metadataNames)
    {
        string full = (ns is null ? "" : ns + ".") + string.Join(".", metadataNames);
        if (full.Length <= MaxBaseLength && IsFileNameSafe(full)) return full; // the usual case, without a copy
        var text = new StringBuilder(full.Length);
        foreach (char c in full) text.Append(IsFileNameSafe(c) ? c : '_');
        string sanitized = text.ToString();
        bool changed = sanitized != full;
        if (sanitized.Length > MaxBaseLength) return sanitized.Substring(0, MaxBaseLength - 9) + "." + Hash(full);
        return changed ? sanitized + "." + Hash(full) : sanitized;
    }

    private static bool IsFileNameSafe(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '-' or '+' or '`';

    private static bool IsFileNameSafe(string text)
    {
        foreach (char c in text)
        {
            if (!IsFileNameSafe(c)) return false;
        }
        return true;
    }

    /// <summary>The base with the hash of the exact name appended: unique among models whose bases agree ignoring case.</summary>
    public static string Disambiguated(string hintBase) => hintBase + "." + Hash(hintBase);

    /// <summary>FNV-1a over the UTF-16 code units, 8 hex digits: stable across processes and platforms (string.GetHashCode is not).</summary>
    public static string Hash(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = unchecked((hash ^ c) * 16777619);
        }
        return hash.ToString("x8", CultureInfo.InvariantCulture);
    }
}

using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace ModelDsl.Generator.Emit;

/// <summary>
/// The one set of helpers through which values from the user's declaration become C# text: identifiers (keywords
/// escaped with '@'), namespaces, string literals (escaped), numbers (finite, round-trip exact) and text inside
/// comments (no line breaks). Every name or value that came from user code is written through one of these.
/// </summary>
internal static class CSharp
{
    /// <summary>An identifier as C# source: <c>@class</c> for the keyword <c>class</c>, the name itself otherwise.</summary>
    public static string Identifier(string name)
        => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    /// <summary>A dotted namespace with each keyword segment escaped (<c>Demo.@if</c>).</summary>
    public static string Namespace(string dotted)
    {
        string[] parts = dotted.Split('.');
        for (int i = 0; i < parts.Length; i++) parts[i] = Identifier(parts[i]);
        return string.Join(".", parts);
    }

    /// <summary>A regular string literal with quotes, backslashes, control characters and line separators escaped.</summary>
    public static string String(string value)
    {
        // Nearly always nothing to escape (layer and block names): then the value between quotes, not built character by character.
        if (!NeedsEscape(value)) return "\"" + value + "\"";
        var text = new StringBuilder(value.Length + 2).Append('"');
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                text.Append(c).Append(value[++i]); // a valid pair is one character: keep it readable
                continue;
            }
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\0': text.Append("\\0"); break;
                default:
                    // Control characters and line separators would end or garble the line; a lone surrogate is not valid text.
                    if (char.IsControl(c) || c is '\u0085' or '\u2028' or '\u2029' || char.IsSurrogate(c))
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else text.Append(c);
                    break;
            }
        }
        return text.Append('"').ToString();
    }

    private static bool NeedsEscape(string value)
    {
        foreach (char c in value)
        {
            if (c is '"' or '\\' or '\u0085' or '\u2028' or '\u2029' || char.IsControl(c) || char.IsSurrogate(c)) return true;
        }
        return false;
    }

    /// <summary>
    /// A verbatim string literal (<c>@"…"</c>, quotes doubled) for multi-line text such as the summary table. Every
    /// character but the quote may appear in a verbatim literal.
    /// </summary>
    public static string VerbatimString(string value) => "@\"" + value.Replace("\"", "\"\"") + "\"";

    /// <summary>
    /// A double literal that parses back to exactly <paramref name="value"/> (0.5, never 0,5). The planner rejects
    /// non-finite options (MD0050), so NaN or ∞ here is a bug; it is written as a compile-time expression that still compiles.
    /// </summary>
    public static string Double(double value)
    {
        if (double.IsNaN(value)) return "double.NaN";
        if (double.IsPositiveInfinity(value)) return "double.PositiveInfinity";
        if (double.IsNegativeInfinity(value)) return "double.NegativeInfinity";
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains(".") || text.Contains("E") ? text : text + ".0";
    }

    /// <summary>A long literal.</summary>
    public static string Long(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>true or false.</summary>
    public static string Bool(bool value) => value ? "true" : "false";

    /// <summary>Text for a // or /// comment: line breaks (which would end the comment) become spaces.</summary>
    public static string CommentText(string text)
    {
        // Nearly always nothing to replace: then the text itself, not a copy (every layer's comment goes through here).
        if (text.IndexOfAny(LineBreaks) < 0) return text;
        var result = new StringBuilder(text.Length);
        foreach (char c in text) result.Append(c is '\n' or '\r' or '\u0085' or '\u2028' or '\u2029' ? ' ' : c);
        return result.ToString();
    }

    private static readonly char[] LineBreaks = { '\n', '\r', '\u0085', '\u2028', '\u2029' };

    /// <summary>Text inside an XML doc comment: escaped for XML and kept on one line.</summary>
    public static string XmlText(string text) => CommentText(text).Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}

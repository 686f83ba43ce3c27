using Microsoft.CodeAnalysis.Text;

namespace ModelDsl.Generator.Tests.Infrastructure;

/// <summary>Source text with one span marked as <c>[|…|]</c>: where a diagnostic is expected.</summary>
public sealed record MarkedSource(string Text, TextSpan Span)
{
    public static MarkedSource Parse(string marked)
    {
        int start = marked.IndexOf("[|", System.StringComparison.Ordinal);
        int end = marked.IndexOf("|]", System.StringComparison.Ordinal);
        string text = marked.Remove(end, 2).Remove(start, 2);
        return new MarkedSource(text, TextSpan.FromBounds(start, end - 2));
    }
}

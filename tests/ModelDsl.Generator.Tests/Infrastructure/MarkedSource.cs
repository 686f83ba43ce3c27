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

/// <summary>The assertion the layer-rule tests share: one error, its ID, the marked span, a phrase of its message, no file.</summary>
public static class SingleError
{
    public static void AssertAt(string marked, string id, string message)
    {
        MarkedSource source = MarkedSource.Parse(marked);
        GeneratorResult result = GeneratorHarness.Run(source.Text);
        Microsoft.CodeAnalysis.Diagnostic error = Xunit.Assert.Single(result.Diagnostics);
        Xunit.Assert.Equal(id, error.Id);
        Xunit.Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Error, error.Severity);
        Xunit.Assert.Equal(source.Span, error.Location.SourceSpan);
        Xunit.Assert.Contains(message, error.GetMessage());
        result.AssertOnlySurface();
    }
}

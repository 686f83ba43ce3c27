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

/// <summary>The assertion the layer-rule tests share: one error, its ID, the marked span, a phrase of its message, and only the error surface generated.</summary>
public static class SingleError
{
    public static void AssertAt(string marked, string id, string message)
        => SingleDiagnostic.AssertAt(marked, id, Microsoft.CodeAnalysis.DiagnosticSeverity.Error, message).AssertOnlySurface();
}

/// <summary>One diagnostic, a warning with the ID at the marked span and the message; the model is still generated (its one file is returned).</summary>
public static class SingleWarning
{
    public static string AssertAt(string marked, string id, string message)
        => SingleDiagnostic.AssertAt(marked, id, Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, message).Single();
}

internal static class SingleDiagnostic
{
    public static GeneratorResult AssertAt(string marked, string id, Microsoft.CodeAnalysis.DiagnosticSeverity severity, string message)
    {
        MarkedSource source = MarkedSource.Parse(marked);
        GeneratorResult result = GeneratorHarness.Run(source.Text);
        Microsoft.CodeAnalysis.Diagnostic diagnostic = Xunit.Assert.Single(result.Diagnostics);
        Xunit.Assert.Equal(id, diagnostic.Id);
        Xunit.Assert.Equal(severity, diagnostic.Severity);
        Xunit.Assert.Equal(source.Span, diagnostic.Location.SourceSpan);
        Xunit.Assert.Contains(message, diagnostic.GetMessage());
        return result;
    }
}

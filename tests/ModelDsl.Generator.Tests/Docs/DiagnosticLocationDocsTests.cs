using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Docs;

/// <summary>
/// docs/diagnostics.md's "Where each diagnostic sits" says, per ID, which piece of source the diagnostic is on; every
/// case of <see cref="DiagnosticTests"/> (whose marked span is asserted there) must sit where that list says.
/// </summary>
public class DiagnosticLocationDocsTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (object[] row in DiagnosticTests.Cases) data.Add((string)row[0], (string)row[1]);
        // MD0018 has its own analyzer and tests (MissingNonlinearityTests); its place is the first weight layer.
        data.Add("[Model(4)] [[|Dense(3)|], Dense(2)] public partial class Linear { }", "MD0018");
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_docs_list_the_id_under_the_kind_of_source_it_sits_on(string marked, string id)
    {
        MarkedSource source = MarkedSource.Parse(marked);
        SyntaxNode root = CSharpSyntaxTree.ParseText(source.Text).GetRoot();
        string kind = Kind(root, source.Span);

        string docs = File.ReadAllText(Path.Combine(DiagnosticDocsTests.RepositoryRoot(), "docs", "diagnostics.md")).ReplaceLineEndings("\n");
        string section = docs[docs.IndexOf("## Where each diagnostic sits", StringComparison.Ordinal)..docs.IndexOf("## All diagnostics", StringComparison.Ordinal)];
        string bullet = Assert.Single(section.Split("\n- "), b => b.StartsWith($"**On {kind}**", StringComparison.Ordinal));
        Assert.True(bullet.Contains(id, StringComparison.Ordinal), $"{id} sits on {kind} ({source.Text.Substring(source.Span.Start, source.Span.Length)}), but the docs' bullet for it does not list it:\n{bullet}");
    }

    /// <summary>The docs' name for the source the span covers exactly.</summary>
    private static string Kind(SyntaxNode root, Microsoft.CodeAnalysis.Text.TextSpan span)
    {
        SyntaxToken token = root.FindToken(span.Start);
        if (token.Span == span && token.Parent is TypeDeclarationSyntax) return "the class name";
        if (token.Span == span && token.Parent is PropertyDeclarationSyntax or VariableDeclaratorSyntax) return "the member name";
        if (root.FindNode(span) is AttributeArgumentSyntax argument && argument.Span == span) return "the argument at fault";
        AttributeSyntax attribute = root.FindNode(span).AncestorsAndSelf().OfType<AttributeSyntax>().First(a => a.Span == span);
        return attribute.Name.ToString() switch
        {
            "Model" => "the `[Model(...)]` attribute",
            "WeightDecay" => "the `[WeightDecay]` attribute",
            "Ensemble" => "the `[Ensemble]` attribute",
            "Residual" => "the `[Residual]` attribute",
            "From" or "Concatenate" or "Add" or "Multiply" or "Average" or "Input" or "Output" or "With" => "a graph attribute",
            _ => "the layer attribute at fault",
        };
    }
}

using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ModelDsl.CodeFixes;

/// <summary>
/// MD0011 (He before sigmoid/tanh) → Xavier; MD0012 (Xavier before ReLU) → He. The normal/uniform flavour is kept:
/// He ↔ Xavier, HeUniform ↔ XavierUniform. Works for <c>Init = He</c>, <c>Init = Init.He</c> and fully qualified names.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SwapInitCodeFix)), Shared]
public sealed class SwapInitCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticIds.HeBeforeSaturating, DiagnosticIds.XavierBeforeReLU);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        AttributeSyntax? attribute = root?.FindNode(context.Span).AncestorsAndSelf().OfType<AttributeSyntax>().FirstOrDefault();
        AttributeArgumentSyntax? init = attribute?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Init");
        // The enum member's name is the last identifier of the expression (He, Init.He, ModelDsl.Init.He).
        IdentifierNameSyntax? member = init?.Expression switch
        {
            IdentifierNameSyntax name => name,
            MemberAccessExpressionSyntax { Name: IdentifierNameSyntax name } => name,
            _ => null,
        };
        if (root is null || member is null) return;

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            string? replacement = Replacement(diagnostic.Id, member.Identifier.ValueText);
            if (replacement is null) continue;
            context.RegisterCodeFix(
                CodeAction.Create($"Use Init = {replacement}", _ =>
                {
                    IdentifierNameSyntax swapped = member.WithIdentifier(SyntaxFactory.Identifier(member.Identifier.LeadingTrivia, replacement, member.Identifier.TrailingTrivia));
                    return Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(member, swapped)));
                }, nameof(SwapInitCodeFix) + replacement),
                diagnostic);
        }
    }

    /// <summary>The init the chapter recommends instead (5.1.3 for saturating activations, 5.1.4 for ReLU).</summary>
    internal static string? Replacement(string id, string current) => (id, current) switch
    {
        (DiagnosticIds.HeBeforeSaturating, "He") => "Xavier",
        (DiagnosticIds.HeBeforeSaturating, "HeUniform") => "XavierUniform",
        (DiagnosticIds.XavierBeforeReLU, "Xavier") => "He",
        (DiagnosticIds.XavierBeforeReLU, "XavierUniform") => "HeUniform",
        _ => null,
    };
}

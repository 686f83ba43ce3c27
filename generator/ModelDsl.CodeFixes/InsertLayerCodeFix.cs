using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ModelDsl.CodeFixes;

/// <summary>
/// What the "insert a layer" fixes share: find the layer attribute the diagnostic sits on and insert another layer
/// attribute into the same attribute list, just before or just after it, so the source order is the layer order.
/// </summary>
public abstract class InsertLayerCodeFix : CodeFixProvider
{
    private readonly string diagnosticId;
    private readonly string layer;
    private readonly bool after;
    private readonly string title;

    /// <param name="diagnosticId">The diagnostic this fixes.</param>
    /// <param name="layer">The attribute to insert (no arguments).</param>
    /// <param name="after">Insert after the flagged attribute instead of before it.</param>
    /// <param name="title">The light-bulb title.</param>
    protected InsertLayerCodeFix(string diagnosticId, string layer, bool after, string title)
    {
        this.diagnosticId = diagnosticId;
        this.layer = layer;
        this.after = after;
        this.title = title;
    }

    public sealed override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(diagnosticId);

    public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        AttributeSyntax? flagged = root?.FindNode(context.Span).AncestorsAndSelf().OfType<AttributeSyntax>().FirstOrDefault();
        if (root is null || flagged?.Parent is not AttributeListSyntax list) return;
        context.RegisterCodeFix(
            CodeAction.Create(title, _ =>
            {
                AttributeSyntax inserted = SyntaxFactory.Attribute(SyntaxFactory.IdentifierName(layer));
                int index = list.Attributes.IndexOf(flagged) + (after ? 1 : 0);
                AttributeListSyntax updated = list.WithAttributes(list.Attributes.Insert(index, inserted));
                return Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(list, updated)));
            }, GetType().Name),
            context.Diagnostics);
    }
}

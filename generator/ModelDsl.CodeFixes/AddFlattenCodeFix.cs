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

/// <summary>MD0030: inserts <c>Flatten</c> right before the <c>Dense</c> attribute that received a multi-dimensional shape.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddFlattenCodeFix)), Shared]
public sealed class AddFlattenCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticIds.DenseNeedsFlatten);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        AttributeSyntax? dense = root?.FindNode(context.Span).AncestorsAndSelf().OfType<AttributeSyntax>().FirstOrDefault();
        if (root is null || dense?.Parent is not AttributeListSyntax list) return;
        context.RegisterCodeFix(
            CodeAction.Create("Add [Flatten] before the Dense layer", _ =>
            {
                // Same list, one position earlier: [Conv2d(..), Dense(10)] becomes [Conv2d(..), Flatten, Dense(10)],
                // so the layer order (source order) is exactly "flatten, then dense".
                AttributeSyntax flatten = SyntaxFactory.Attribute(SyntaxFactory.IdentifierName("Flatten"));
                int index = list.Attributes.IndexOf(dense);
                AttributeListSyntax updated = list.WithAttributes(list.Attributes.Insert(index, flatten));
                return Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(list, updated)));
            }, nameof(AddFlattenCodeFix)),
            context.Diagnostics);
    }
}

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

/// <summary>MD0018: inserts <c>ReLU</c> right after the weight layer whose output reaches the next one through affine layers only.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsertReLUCodeFix)), Shared]
public sealed class InsertReLUCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticIds.NoNonlinearity);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        AttributeSyntax? layer = root?.FindNode(context.Span).AncestorsAndSelf().OfType<AttributeSyntax>().FirstOrDefault();
        if (root is null || layer?.Parent is not AttributeListSyntax list) return;
        context.RegisterCodeFix(
            CodeAction.Create("Add [ReLU] after the layer", _ =>
            {
                // Same list, next position: [Dense(256, Init = He), BatchNorm] becomes [Dense(256, Init = He), ReLU, BatchNorm],
                // the order the Quickstart's inline Activation = ReLU produces (dense, relu, batchnorm).
                AttributeSyntax relu = SyntaxFactory.Attribute(SyntaxFactory.IdentifierName("ReLU"));
                int index = list.Attributes.IndexOf(layer);
                AttributeListSyntax updated = list.WithAttributes(list.Attributes.Insert(index + 1, relu));
                return Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(list, updated)));
            }, nameof(InsertReLUCodeFix)),
            context.Diagnostics);
    }
}

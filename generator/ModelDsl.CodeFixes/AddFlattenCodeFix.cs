using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ModelDsl.CodeFixes;

/// <summary>
/// MD0030: inserts <c>Flatten</c> right before the <c>Dense</c> attribute that received a multi-dimensional shape:
/// [Conv2d(..), Dense(10)] becomes [Conv2d(..), Flatten, Dense(10)], so the layer order is "flatten, then dense".
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddFlattenCodeFix)), Shared]
public sealed class AddFlattenCodeFix : InsertLayerCodeFix
{
    public AddFlattenCodeFix() : base(DiagnosticIds.DenseNeedsFlatten, "Flatten", after: false, "Add [Flatten] before the Dense layer") { }
}

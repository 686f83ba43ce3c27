using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ModelDsl.CodeFixes;

/// <summary>
/// MD0018: inserts <c>ReLU</c> right after the weight layer whose output reaches the next one through affine layers only:
/// [Dense(256, Init = He), BatchNorm] becomes [Dense(256, Init = He), ReLU, BatchNorm], the order the Quickstart's inline
/// Activation = ReLU produces (dense, relu, batchnorm).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsertReLUCodeFix)), Shared]
public sealed class InsertReLUCodeFix : InsertLayerCodeFix
{
    public InsertReLUCodeFix() : base(DiagnosticIds.NoNonlinearity, "ReLU", after: true, "Add [ReLU] after the layer") { }
}

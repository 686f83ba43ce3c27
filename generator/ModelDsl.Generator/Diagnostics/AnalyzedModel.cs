using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Parsing;

namespace ModelDsl.Generator.Diagnostics;

/// <summary>What every ModelDsl analyzer starts with: the [Model] class of a symbol action, parsed with source locations.</summary>
internal static class AnalyzedModel
{
    /// <summary>The parsed model, or null when the symbol is not a [Model] class declared in source.</summary>
    public static ModelDeclaration? Parse(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        AttributeData? model = ModelAttribute(type);
        if (model?.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) is not { } attributeSyntax) return null;
        if (attributeSyntax.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } declaration) return null;
        return ModelParser.Parse(type, declaration, model, withLocations: true, context.CancellationToken);
    }

    /// <summary>The class's first [Model] attribute, or null.</summary>
    public static AttributeData? ModelAttribute(INamedTypeSymbol type)
    {
        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (AttributeNames.IsModel(attribute.AttributeClass)) return attribute;
        }
        return null;
    }
}

using System.Collections.Generic;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ModelDsl.Generator.Planning;

/// <summary>
/// Evaluates a template layer argument that names parameters (<c>Squeeze</c>, <c>Width * 4</c>, <c>(In + Out) / 2</c>)
/// with one use's values, as C# would: integer operands give integer arithmetic (division truncates). Numbers,
/// parameters, parentheses, unary minus and + − × ÷ %; written by hand because it is C#'s own constant folding over a
/// handful of node kinds, with the parameters' values substituted.
/// </summary>
internal static class TemplateExpression
{
    /// <summary>The value of <paramref name="text"/>, and whether C# would type it as an integer (every operand is one).</summary>
    public static bool Evaluate(string text, IReadOnlyDictionary<string, (double Value, bool IsInteger)> values, out double result, out bool isInteger, out string? problem)
    {
        problem = null;
        (double Value, bool IsInteger)? value = Eval(SyntaxFactory.ParseExpression(text), values, ref problem);
        result = value?.Value ?? 0;
        isInteger = value?.IsInteger ?? false;
        return value is not null;
    }

    private static (double Value, bool IsInteger)? Eval(ExpressionSyntax e, IReadOnlyDictionary<string, (double, bool)> values, ref string? problem)
    {
        switch (e)
        {
            case LiteralExpressionSyntax { Token.Value: int or long } literal:
                return (System.Convert.ToDouble(literal.Token.Value, System.Globalization.CultureInfo.InvariantCulture), true);
            case LiteralExpressionSyntax { Token.Value: double or float or decimal } literal:
                return (System.Convert.ToDouble(literal.Token.Value, System.Globalization.CultureInfo.InvariantCulture), false);
            case IdentifierNameSyntax name when values.TryGetValue(name.Identifier.ValueText, out var parameter):
                return parameter;
            case ParenthesizedExpressionSyntax parenthesized:
                return Eval(parenthesized.Expression, values, ref problem);
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression } minus:
                return Eval(minus.Operand, values, ref problem) is { } operand ? (-operand.Value, operand.IsInteger) : null;
            case BinaryExpressionSyntax binary:
                if (Eval(binary.Left, values, ref problem) is not { } left || Eval(binary.Right, values, ref problem) is not { } right) return null;
                bool integer = left.IsInteger && right.IsInteger;
                if (binary.Kind() is SyntaxKind.DivideExpression or SyntaxKind.ModuloExpression && right.Value == 0)
                {
                    problem = "it divides by zero";
                    return null;
                }
                double v = binary.Kind() switch
                {
                    SyntaxKind.AddExpression => left.Value + right.Value,
                    SyntaxKind.SubtractExpression => left.Value - right.Value,
                    SyntaxKind.MultiplyExpression => left.Value * right.Value,
                    SyntaxKind.DivideExpression => integer ? System.Math.Truncate(left.Value / right.Value) : left.Value / right.Value,
                    SyntaxKind.ModuloExpression => left.Value % right.Value,
                    _ => double.NaN,
                };
                if (double.IsNaN(v)) break;
                return (v, integer);
        }
        problem ??= $"'{e}' is not a number, a parameter or + − * / % of them, which is what a template argument can be";
        return null;
    }
}

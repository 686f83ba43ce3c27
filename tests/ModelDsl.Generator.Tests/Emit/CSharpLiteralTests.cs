using System;
using CsCheck;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Emit;

/// <summary>
/// Emit/CSharp, the one place user values become C#: every string becomes a literal the compiler reads back as the same
/// string, every finite double a literal it reads back bit for bit, every keyword an escaped identifier (seeded sweeps).
/// </summary>
public class CSharpLiteralTests
{
    [Fact]
    public void Every_string_round_trips_through_a_literal()
    {
        // Any UTF-16 code units, lone surrogates and line separators included.
        Gen<string> strings = Gen.Char['\0', '\uffff'].Array[0, 12].Select(chars => new string(chars));
        SeededSweep.Run(strings, s =>
        {
            string literal = CSharp.String(s);
            var parsed = (LiteralExpressionSyntax)SyntaxFactory.ParseExpression(literal);
            Assert.Empty(parsed.GetDiagnostics());
            Assert.Equal(s, parsed.Token.ValueText);
            Assert.True(IsPlainText(literal), "the literal holds a control character, a line separator or a lone surrogate: " + literal);
        }, "0000000030V7", 2000, s => CSharp.String(s));
    }

    /// <summary>Text a generated file can hold on one line and write to disk as UTF-8 unchanged.</summary>
    private static bool IsPlainText(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsControl(c) || c is '\u0085' or '\u2028' or '\u2029') return false;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(c)) return false;
        }
        return true;
    }

    [Theory]
    [InlineData("a\"b")]
    [InlineData("c:\\new")]
    [InlineData("line\u2028separator")]
    [InlineData("lone \ud800 surrogate, bell \u0007")]
    public void Known_cases_round_trip_as_plain_text(string s)
    {
        string literal = CSharp.String(s);
        Assert.Equal(s, ((LiteralExpressionSyntax)SyntaxFactory.ParseExpression(literal)).Token.ValueText);
        Assert.True(IsPlainText(literal), literal);
    }

    [Fact]
    public void Every_finite_double_round_trips_bit_for_bit()
    {
        SeededSweep.Run(Gen.Double.Where(d => !double.IsNaN(d) && !double.IsInfinity(d)), d =>
        {
            string text = CSharp.Double(d);
            ExpressionSyntax expression = SyntaxFactory.ParseExpression(text);
            double parsed = expression is PrefixUnaryExpressionSyntax { Operand: LiteralExpressionSyntax negated }
                ? -(double)negated.Token.Value!
                : (double)((LiteralExpressionSyntax)expression).Token.Value!;
            Assert.Equal(BitConverter.DoubleToInt64Bits(d), BitConverter.DoubleToInt64Bits(parsed));
        }, "0000001diA9e", 2000, d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("class", "@class")]
    [InlineData("object", "@object")]
    [InlineData("var", "var")]
    [InlineData("Net", "Net")]
    public void Keywords_are_escaped(string name, string expected)
    {
        Assert.Equal(expected, CSharp.Identifier(name));
        Assert.Equal("Demo.@if.Models", CSharp.Namespace("Demo.if.Models"));
    }
}

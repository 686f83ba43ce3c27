using System.Text;

namespace ModelDsl.Generator.Helpers;

/// <summary>A small indenting text writer (Roslyn's guidance: emit text, not SyntaxFactory trees).</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder text = new();
    private int depth;

    public SourceWriter Line(string line = "")
    {
        if (line.Length > 0) text.Append(' ', depth * 4).Append(line);
        text.Append('\n');
        return this;
    }

    public SourceWriter Open(string line) => Line(line).OpenBrace();

    public SourceWriter OpenBrace()
    {
        Line("{");
        depth++;
        return this;
    }

    public SourceWriter Close(string suffix = "")
    {
        depth--;
        return Line("}" + suffix);
    }

    public SourceWriter Indent() { depth++; return this; }

    public SourceWriter Outdent() { depth--; return this; }

    public override string ToString() => text.ToString();
}

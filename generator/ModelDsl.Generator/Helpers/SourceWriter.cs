using System;
using System.Runtime.CompilerServices;
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

    /// <summary>
    /// <c>w.Line($"…")</c>: the pieces go straight into the writer (<see cref="LineHandler"/>) instead of making a string
    /// per line first. The emitters write every line of every model this way, on every cold run.
    /// </summary>
    public SourceWriter Line([InterpolatedStringHandlerArgument("")] ref LineHandler line)
    {
        // Nothing was written after the indentation: an empty line, which Line(string) writes without indentation.
        if (text.Length == line.ContentStart) text.Length = line.Start;
        text.Append('\n');
        return this;
    }

    public SourceWriter Open(string line) => Line(line).OpenBrace();

    public SourceWriter Open([InterpolatedStringHandlerArgument("")] ref LineHandler line) => Line(ref line).OpenBrace();

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

    /// <summary>
    /// Writes an interpolated line's pieces into the writer as the compiler hands them over, after the indentation.
    /// A hole is written as string interpolation writes it (string.Format: IFormattable with no format, current culture).
    /// </summary>
    [InterpolatedStringHandler]
    public readonly ref struct LineHandler
    {
        private readonly StringBuilder text;

        public LineHandler(int literalLength, int formattedCount, SourceWriter writer)
        {
            text = writer.text;
            Start = text.Length;
            text.Append(' ', writer.depth * 4);
            ContentStart = text.Length;
        }

        /// <summary>Where the line starts, before its indentation.</summary>
        public int Start { get; }

        /// <summary>Where the line's text starts, after its indentation.</summary>
        public int ContentStart { get; }

        public void AppendLiteral(string value) => text.Append(value);

        public void AppendFormatted(string? value) => text.Append(value);

        public void AppendFormatted<T>(T value) => text.Append(value is IFormattable formattable ? formattable.ToString(null, null) : value?.ToString());
    }
}

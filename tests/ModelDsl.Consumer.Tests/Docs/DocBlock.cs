using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace ModelDsl.Consumer.Tests.Docs;

/// <summary>
/// One ```csharp block of README.md, docs/*.md or a package README (build/**/README.md), with the instructions of the HTML comment on the line before it:
/// <c>&lt;!-- compile: NAME --&gt;</c> puts the block in a named group whose blocks compile together (one file each);
/// <c>run</c> (<c>&lt;!-- compile: NAME; run --&gt;</c>) also runs the group's top-level statements;
/// <c>checked: PATH</c> says the block is that repository file word for word (RecipeDocsTests). A block without
/// <c>compile:</c> compiles alone. A block with no <c>using</c> line is a snippet and gets <see cref="SnippetUsings"/>.
/// </summary>
public sealed record DocBlock(string Document, int Line, string Code, string Group, bool Run)
{
    /// <summary>What a snippet without usings may assume, said once in README.md's "Code in the docs".</summary>
    public const string SnippetUsings = """
        using System;
        using ModelDsl;
        using ModelDsl.Augmentation;
        using ModelDsl.Data;
        using ModelDsl.Training;
        using static ModelDsl.Init;
        using static TorchSharp.torch;

        """;

    private static readonly Regex Block = new(@"(?:<!--(?<note>[^>]*)-->\n)?```csharp\n(?<code>.*?)```", RegexOptions.Singleline);

    /// <summary>No using directive (<c>using X;</c>, <c>using static X;</c>, <c>using A = X;</c>); using statements do not count.</summary>
    public bool IsSnippet => !Regex.IsMatch(Code, @"^using\s+(static\s+)?[A-Za-z_][\w.]*\s*(=\s*[\w.<>]+\s*)?;", RegexOptions.Multiline);

    /// <summary>The block as a compilation unit: a snippet with the usings it may assume.</summary>
    public string Source => IsSnippet ? SnippetUsings + Code : Code;

    public static IReadOnlyList<DocBlock> All(string repositoryRoot)
    {
        // The repository's README, docs/, and the packages' READMEs (build/**/README.md, shown on the package pages).
        var documents = new[] { Path.Combine(repositoryRoot, "README.md") }
            .Concat(Directory.GetFiles(Path.Combine(repositoryRoot, "docs"), "*.md").OrderBy(p => p, StringComparer.Ordinal))
            .Concat(Directory.GetFiles(Path.Combine(repositoryRoot, "build"), "README.md", SearchOption.AllDirectories).OrderBy(p => p, StringComparer.Ordinal));
        var blocks = new List<DocBlock>();
        foreach (string path in documents)
        {
            string name = Path.GetRelativePath(repositoryRoot, path).Replace('\\', '/');
            string text = File.ReadAllText(path).ReplaceLineEndings("\n");
            foreach (Match match in Block.Matches(text))
            {
                int line = text[..match.Index].Count(c => c == '\n') + 1;
                var notes = match.Groups["note"].Value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                string? group = notes.FirstOrDefault(n => n.StartsWith("compile:", StringComparison.Ordinal))?["compile:".Length..].Trim();
                blocks.Add(new DocBlock(name, line, match.Groups["code"].Value, group ?? $"line {line}", notes.Contains("run")));
            }
        }
        return blocks;
    }
}

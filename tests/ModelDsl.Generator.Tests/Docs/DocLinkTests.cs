using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace ModelDsl.Generator.Tests.Docs;

/// <summary>
/// Every relative link in the repository's Markdown (README.md, docs/, examples/*/README.md, the package READMEs) lands:
/// the file exists, and a <c>#fragment</c> into a Markdown file names one of its headings (as GitHub makes their anchors)
/// or an <c>&lt;a id&gt;</c>. Dated benchmark sections get renamed as they are written, which is how links broke before.
/// </summary>
public class DocLinkTests
{
    // [text](target), the target without spaces; images too. Absolute URLs are left to the reader.
    private static readonly Regex Link = new(@"\]\((?<target>[^)\s]+)\)");
    private static readonly Regex CodeSpan = new(@"`[^`\n]*`");
    private static readonly Regex Heading = new(@"^#{1,6}[ \t]+(?<text>.+?)[ \t]*#*[ \t]*$", RegexOptions.Multiline);
    private static readonly Regex HtmlId = new(@"<a\s+(?:id|name)=""(?<id>[^""]+)""");

    public static TheoryData<string> Documents()
    {
        string root = DiagnosticDocsTests.RepositoryRoot();
        var data = new TheoryData<string>();
        foreach (string path in MarkdownFiles(root)) data.Add(Path.GetRelativePath(root, path).Replace('\\', '/'));
        return data;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_relative_link_names_a_file_and_a_heading_that_exist(string document)
    {
        string root = DiagnosticDocsTests.RepositoryRoot();
        string path = Path.Combine(root, document);
        var broken = new List<string>();
        foreach (Match match in Link.Matches(Prose(File.ReadAllText(path))))
        {
            string target = match.Groups["target"].Value;
            if (Regex.IsMatch(target, "^[a-z]+:", RegexOptions.IgnoreCase)) continue; // https:, mailto:
            int hash = target.IndexOf('#');
            string file = hash < 0 ? target : target[..hash];
            string? fragment = hash < 0 ? null : target[(hash + 1)..];
            string targetPath = file.Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, Uri.UnescapeDataString(file)));
            if (!File.Exists(targetPath) && !Directory.Exists(targetPath))
                broken.Add($"{target}: no file {Path.GetRelativePath(root, targetPath)}");
            else if (fragment is not null && targetPath.EndsWith(".md", StringComparison.OrdinalIgnoreCase) && !Anchors(targetPath).Contains(fragment))
                broken.Add($"{target}: no heading or <a id> '{fragment}' in {Path.GetRelativePath(root, targetPath)}");
        }
        Assert.True(broken.Count == 0, $"{document} has links that lead nowhere:\n" + string.Join("\n", broken));
    }

    [Theory]
    [InlineData("2026-12-05 (afternoon): max pooling through channels-last, the zoo's four", "2026-12-05-afternoon-max-pooling-through-channels-last-the-zoos-four")]
    [InlineData("oneMKL's code path on AMD CPUs", "onemkls-code-path-on-amd-cpus")]
    [InlineData("`ChannelsLast` and `Trainer.Fit`", "channelslast-and-trainerfit")]
    [InlineData("Wrong numbers on AVX-512 CPUs", "wrong-numbers-on-avx-512-cpus")]
    public void Anchors_are_made_as_github_makes_them(string heading, string anchor) => Assert.Equal(anchor, Slug(heading));

    /// <summary>GitHub's heading anchors: lower case, every character but letters, digits, '_', '-' and spaces dropped, spaces as '-'; a repeated one gets -1, -2, ….</summary>
    private static HashSet<string> Anchors(string markdown)
    {
        string text = File.ReadAllText(markdown).ReplaceLineEndings("\n");
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Match heading in Heading.Matches(OutsideFences(text)))
        {
            string slug = Slug(heading.Groups["text"].Value);
            int count = seen.GetValueOrDefault(slug);
            seen[slug] = count + 1;
            anchors.Add(count == 0 ? slug : $"{slug}-{count}");
        }
        foreach (Match id in HtmlId.Matches(text)) anchors.Add(id.Groups["id"].Value);
        return anchors;
    }

    private static string Slug(string heading)
    {
        string lower = heading.Trim().ToLowerInvariant();
        return new string(lower.Where(c => char.IsLetterOrDigit(c) || c is '_' or '-' or ' ').ToArray()).Replace(' ', '-');
    }

    // Links inside code (fenced blocks, `spans`) are examples, not links.
    private static string Prose(string text) => CodeSpan.Replace(OutsideFences(text), "");

    // The lines outside fenced code blocks; a fence may be indented (inside a list item).
    private static string OutsideFences(string text)
    {
        var kept = new List<string>();
        bool inFence = false;
        foreach (string line in text.ReplaceLineEndings("\n").Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal)) inFence = !inFence;
            else if (!inFence) kept.Add(line);
        }
        return string.Join("\n", kept);
    }

    private static IEnumerable<string> MarkdownFiles(string root)
        => new[] { Path.Combine(root, "README.md") }
            .Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md"))
            .Concat(Directory.GetDirectories(Path.Combine(root, "examples")).Select(d => Path.Combine(d, "README.md")).Where(File.Exists))
            .Concat(Directory.GetFiles(Path.Combine(root, "build"), "README.md", SearchOption.AllDirectories))
            .OrderBy(p => p, StringComparer.Ordinal);
}

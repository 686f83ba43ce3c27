using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Diagnostics;
using Xunit;

namespace ModelDsl.Generator.Tests.Docs;

/// <summary>
/// What an IDE shows next to a diagnostic: its help link must land on a row of docs/diagnostics.md, and every ID must be
/// tracked in AnalyzerReleases.*.md (the release-tracking analyzer checks the reverse: no untracked descriptor).
/// </summary>
public class DiagnosticDocsTests
{
    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (DiagnosticDescriptor descriptor in Descriptors.All) data.Add(descriptor.Id);
        return data;
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Help_link_points_at_an_anchor_that_exists_in_docs_diagnostics(string id)
    {
        DiagnosticDescriptor descriptor = Descriptors.ById(id);
        string anchor = id.ToLowerInvariant();
        Assert.Equal("docs/diagnostics.md#" + anchor, descriptor.HelpLinkUri);

        string docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "diagnostics.md"));
        // The anchor and the row's severity agree with the descriptor.
        string row = Assert.Single(docs.Split('\n'), line => line.Contains($"<a id=\"{anchor}\"></a>", StringComparison.Ordinal));
        Assert.Contains($"| {descriptor.DefaultSeverity} |", row);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Every_id_is_listed_in_the_analyzer_release_files(string id)
    {
        string folder = Path.Combine(RepositoryRoot(), "generator", "ModelDsl.Generator");
        string releases = File.ReadAllText(Path.Combine(folder, "AnalyzerReleases.Shipped.md")) + File.ReadAllText(Path.Combine(folder, "AnalyzerReleases.Unshipped.md"));
        Assert.Contains(releases.Split('\n'), line => line.StartsWith(id + " ", StringComparison.Ordinal));
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ModelDsl.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("ModelDsl.sln not found above " + AppContext.BaseDirectory);
    }
}

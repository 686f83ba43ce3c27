using System;
using System.Collections.Concurrent;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ModelDsl.Generator.Diagnostics;

/// <summary>
/// Where a diagnostic's help link points. Without a web address given at pack time (<c>-p:ModelDslDocsUrl</c>, see
/// <c>Descriptors</c>) the descriptors' links are relative (<c>docs/diagnostics.md#md0001</c>), which an IDE cannot open
/// from a project that uses the package. The package ships docs/diagnostics.md, and its buildTransitive targets pass the
/// page's absolute <c>file:</c> URI as the MSBuild property <c>ModelDslDiagnosticsHelp</c>; the analyzers then report with
/// a copy of each descriptor whose link points there, the page of the package version in use.
/// </summary>
internal static class HelpLinks
{
    public const string Property = "build_property.ModelDslDiagnosticsHelp";

    private static readonly ConcurrentDictionary<(string Root, string Id), DiagnosticDescriptor> rooted = new();

    /// <summary>The help root the build passes, or null (then the descriptors' own links stand).</summary>
    public static string? Root(AnalyzerOptions options)
        => options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(Property, out string? root) && !string.IsNullOrWhiteSpace(root)
            ? root.Trim()
            : null;

    /// <summary>
    /// <paramref name="descriptor"/> when there is no root or its link is already absolute; otherwise a copy whose help link
    /// is <paramref name="root"/> + <c>#md0001</c>.
    /// </summary>
    public static DiagnosticDescriptor For(DiagnosticDescriptor descriptor, string? root)
        => root is null || Uri.IsWellFormedUriString(descriptor.HelpLinkUri, UriKind.Absolute) ? descriptor : rooted.GetOrAdd((root, descriptor.Id), key => new DiagnosticDescriptor(
            descriptor.Id, descriptor.Title, descriptor.MessageFormat, descriptor.Category, descriptor.DefaultSeverity,
            descriptor.IsEnabledByDefault, descriptor.Description, key.Root + "#" + key.Id.ToLowerInvariant(), descriptor.CustomTags.ToArray()));
}

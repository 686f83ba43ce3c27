using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Docs;

/// <summary>
/// In a project that uses the package, the build passes the absolute file: URI of the docs/diagnostics.md the package
/// ships (build/Package/ModelDsl.targets), and every analyzer's help links point into it instead of the
/// repository-relative path an IDE cannot open.
/// </summary>
public class HelpLinkRootTests
{
    private const string Root = "file:///home/user/.nuget/packages/modeldsl/0.1.0/docs/diagnostics.md";

    private const string Source = """
        using ModelDsl;
        [Model(4)] [Dense(0)] public partial class Broken { }
        [Model(4)] [Dense(3), Dense(2)] public partial class Linear { }
        public class NotAModel { [Dense(2)] public int Field; }
        """;

    [Fact]
    public void With_the_build_property_every_analyzer_links_into_the_shipped_page()
    {
        var diagnostics = Analyze(new Dictionary<string, string> { [HelpLinks.Property] = Root });
        Assert.Equal(new[] { "MD0003", "MD0006", "MD0018" }, diagnostics.Select(d => d.Id).Distinct().OrderBy(id => id));
        Assert.All(diagnostics, d => Assert.Equal(Root + "#" + d.Id.ToLowerInvariant(), d.Descriptor.HelpLinkUri));
    }

    [Fact]
    public void Without_it_the_links_stay_the_descriptors_own()
    {
        var diagnostics = Analyze(new Dictionary<string, string>());
        Assert.NotEmpty(diagnostics);
        Assert.All(diagnostics, d => Assert.Equal(Descriptors.ById(d.Id).HelpLinkUri, d.Descriptor.HelpLinkUri));
    }

    [Fact]
    public void The_package_targets_pass_the_property_to_the_analyzers()
    {
        string targets = File.ReadAllText(Path.Combine(DiagnosticDocsTests.RepositoryRoot(), "build", "Package", "ModelDsl.targets"));
        Assert.Contains("<CompilerVisibleProperty Include=\"ModelDslDiagnosticsHelp\" />", targets);
        Assert.Contains("../docs/diagnostics.md", targets);
    }

    private static ImmutableArray<Diagnostic> Analyze(Dictionary<string, string> buildProperties)
    {
        var options = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new Options(buildProperties));
        return GeneratorHarness.Compilation(GeneratorHarness.ParseOptions, Source)
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ModelAnalyzer(), new LayerOutsideModelAnalyzer(), new MissingNonlinearityAnalyzer()), options)
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    private sealed class Options(Dictionary<string, string> global) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Values(global);
        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Values(new Dictionary<string, string>());
        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Values(new Dictionary<string, string>());
    }

    private sealed class Values(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
    }
}

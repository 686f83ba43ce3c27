using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Runtime.Loader;
using System.IO.Compression;
using Xunit;
using Xunit.Abstractions;

namespace ModelDsl.Consumer.Tests.Packaging;

/// <summary>
/// The packages as a user gets them: `dotnet pack` ModelDsl and ModelDsl.Extras into a folder feed, then restore, build
/// (zero warnings) and run tests/ConsumerSmoke/Core (ModelDsl only) and tests/ConsumerSmoke/Extras (ModelDsl.Extras)
/// against that feed from copies outside the repository, so neither the repository's Directory.Build.* nor a
/// ProjectReference can help them. On Debian 12 the forward pass only works if the package's buildTransitive native fix
/// ran.
/// Cost on the 2-core CI machine: about 2 minutes wall clock (a fresh Release build of attributes, generator, code fixes,
/// runtime and extras into a private artifacts folder, then the two consumers).
/// Offline-ish: the consumers' NuGet cache is a fresh folder (so no stale ModelDsl is ever reused), and the user's
/// global packages folder is a fallback folder, so TorchSharp-cpu and libtorch are read from it instead of downloaded.
/// </summary>
public sealed class ConsumerSmokeTests : IClassFixture<ConsumerSmokeTests.Feed>
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(6);

    /// <summary>What ModelDsl may add to a consumer's bin/ beyond TorchSharp-cpu's own files (issue #16's budget).</summary>
    private const long CoreFootprintBudget = 5 * 1024 * 1024;

    private readonly Feed feed;
    private readonly ITestOutputHelper output;

    public ConsumerSmokeTests(Feed feed, ITestOutputHelper output)
    {
        this.feed = feed;
        this.output = output;
    }

    [Fact]
    [Trait("Category", "Packaging")]
    public void ModelDsl_package_builds_without_warnings_runs_the_card_model_and_adds_no_native_files()
    {
        Assert.True(feed.Pack.ExitCode == 0, "dotnet pack failed:\n" + feed.Pack.Output);
        AssertPackageLayout(Path.Combine(feed.Directory, $"ModelDsl.{feed.Version}.nupkg"));
        Assert.True(File.Exists(Path.Combine(feed.Directory, $"ModelDsl.{feed.Version}.snupkg")), "no symbol package next to ModelDsl's");

        string consumer = feed.BuildConsumer("Core");
        DotnetProcess.Result run = feed.Run(consumer);
        Assert.True(run.ExitCode == 0, "consumer run failed:\n" + run.Output);
        Assert.Contains("total                                 204,042", run.Output);
        Assert.Contains("forward: [4, 10]", run.Output);
        Assert.Contains("finite: True", run.Output);

        IReadOnlyList<BinFootprint.File> added = BinFootprint.BeyondBaseline(
            consumer, Path.Combine(consumer, "bin", "Debug", "net10.0"), "ConsumerSmoke", "TorchSharp-cpu");
        long bytes = added.Sum(f => f.Bytes);
        string listing = string.Join("\n", added.Select(f => $"{f.Bytes,12:N0}  {f.RelativePath}"));
        output.WriteLine($"ModelDsl adds {bytes:N0} bytes ({bytes / 1048576.0:0.00} MiB) in {added.Count} files beyond TorchSharp-cpu:\n{listing}");
        Assert.DoesNotContain(added, f => f.IsNative);
        Assert.True(bytes <= CoreFootprintBudget, $"ModelDsl adds {bytes:N0} bytes to bin/ beyond TorchSharp-cpu (budget {CoreFootprintBudget:N0}):\n{listing}");
        Assert.Contains(added, f => f.RelativePath == "ModelDsl.dll");
    }

    [Fact]
    [Trait("Category", "Packaging")]
    public void The_package_hands_the_analyzer_the_header_of_each_weights_file()
    {
        Assert.True(feed.Pack.ExitCode == 0, "dotnet pack failed:\n" + feed.Pack.Output);
        // Checked.cs names checked.safetensors (WeightsFile) and the project lists it as a ModelDslWeightsFile: the build
        // succeeded, so its header matched the declaration; this is the header the analyzer read.
        string consumer = feed.BuildConsumer("Core");
        string header = System.IO.Directory.GetFiles(Path.Combine(consumer, "obj"), "checked.safetensors.header.json", SearchOption.AllDirectories).Single();
        Assert.StartsWith("{\"fc.weight\":{\"dtype\":\"F32\",\"shape\":[2,4]", File.ReadAllText(header));
    }

    [Fact]
    [Trait("Category", "Packaging")]
    public void Help_links_open_the_diagnostics_page_the_package_ships()
    {
        Assert.True(feed.Pack.ExitCode == 0, "dotnet pack failed:\n" + feed.Pack.Output);
        string consumer = feed.BuildConsumer("Core");

        // The package's build targets hand the analyzers the file: URI of the diagnostics.md it ships.
        string editorConfig = System.IO.Directory.GetFiles(Path.Combine(consumer, "obj"), "*.GeneratedMSBuildEditorConfig.editorconfig", SearchOption.AllDirectories).Single();
        string line = File.ReadAllLines(editorConfig).Single(l => l.StartsWith("build_property.ModelDslDiagnosticsHelp = ", StringComparison.Ordinal));
        string root = line["build_property.ModelDslDiagnosticsHelp = ".Length..];
        Assert.StartsWith("file:///", root);
        string page = new Uri(root).LocalPath;
        Assert.EndsWith(Path.Combine($"{feed.Version}", "docs", "diagnostics.md"), page);
        Assert.Contains("<a id=\"md0018\"></a>", File.ReadAllText(page));

        // This feed was packed with a web address (-p:ModelDslDocsUrl), which wins over the shipped page; the card model's
        // info diagnostic MD0018 carries it in the consumer's SARIF log. (Without one, HelpLinkRootTests shows the
        // analyzers link into the page above.)
        using var log = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(consumer, "build.sarif")));
        var rules = log.RootElement.GetProperty("runs").EnumerateArray()
            .SelectMany(run => run.GetProperty("tool").GetProperty("driver").TryGetProperty("rules", out var r) ? r.EnumerateArray() : Enumerable.Empty<System.Text.Json.JsonElement>());
        var md0018 = rules.FirstOrDefault(rule => rule.GetProperty("id").GetString() == "MD0018");
        Assert.True(md0018.ValueKind == System.Text.Json.JsonValueKind.Object, "MD0018 is not in the consumer's SARIF log");
        Assert.Equal(Feed.DocsUrl + "#md0018", md0018.GetProperty("helpUri").GetString());
    }

    [Fact]
    [Trait("Category", "Packaging")]
    public void Extras_package_brings_the_plots_and_progress_and_depends_on_ModelDsl()
    {
        Assert.True(feed.Pack.ExitCode == 0, "dotnet pack failed:\n" + feed.Pack.Output);
        string nupkg = Path.Combine(feed.Directory, $"ModelDsl.Extras.{feed.Version}.nupkg");
        using (ZipArchive zip = ZipFile.OpenRead(nupkg))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
            foreach (string entry in new[] { "lib/net10.0/ModelDsl.Extras.dll", "lib/net10.0/ModelDsl.Extras.xml", "README.md", "LICENSE" })
                Assert.True(entries.Contains(entry), $"{entry} missing from ModelDsl.Extras; it holds:\n{string.Join("\n", entries)}");
            using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName == "ModelDsl.Extras.nuspec").Open());
            string text = nuspec.ReadToEnd();
            Assert.Contains($"<dependency id=\"ModelDsl\" version=\"{feed.Version}\"", text);
            Assert.Contains("<dependency id=\"ScottPlot\"", text);
            Assert.DoesNotContain("TorchSharp-cpu", text);
        }

        string consumer = feed.BuildConsumer("Extras");
        DotnetProcess.Result run = feed.Run(consumer);
        Assert.True(run.ExitCode == 0, "extras consumer run failed:\n" + run.Output);
        // Output is redirected here, so Auto() must choose plain lines, and they must show both epochs.
        Assert.Contains("reporter: PlainProgressReporter", run.Output);
        Assert.Contains("epoch 2/2", run.Output);
        Assert.Contains("png: True True", run.Output);

        // Reported, not budgeted: what the opt-in package costs is the reason it is opt-in.
        IReadOnlyList<BinFootprint.File> added = BinFootprint.BeyondBaseline(
            consumer, Path.Combine(consumer, "bin", "Debug", "net10.0"), "ConsumerSmoke.Extras", "TorchSharp-cpu");
        long bytes = added.Sum(f => f.Bytes);
        output.WriteLine($"ModelDsl.Extras (with ModelDsl) adds {bytes:N0} bytes ({bytes / 1048576.0:0.0} MiB) in {added.Count} files beyond TorchSharp-cpu, {added.Count(f => f.IsNative)} of them native");
        Assert.Contains(added, f => f.IsNative);
    }

    [Fact]
    [Trait("Category", "Packaging")]
    public void Help_links_in_the_packed_generator_are_the_absolute_docs_url_given_at_pack_time()
    {
        Assert.True(feed.Pack.ExitCode == 0, "dotnet pack failed:\n" + feed.Pack.Output);
        string analyzer = Path.Combine(feed.Directory, "extracted", "ModelDsl.Generator.dll");
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(analyzer)!);
        using (ZipArchive zip = ZipFile.OpenRead(Path.Combine(feed.Directory, $"ModelDsl.{feed.Version}.nupkg")))
            zip.GetEntry("analyzers/dotnet/cs/ModelDsl.Generator.dll")!.ExtractToFile(analyzer, overwrite: true);

        var context = new AssemblyLoadContext("packed-generator", isCollectible: true);
        try
        {
            Type descriptors = context.LoadFromAssemblyPath(analyzer).GetType("ModelDsl.Generator.Diagnostics.Descriptors", throwOnError: true)!;
            object md0004 = descriptors.GetMethod("ById")!.Invoke(null, new object[] { "MD0004" })!;
            Assert.Equal(Feed.DocsUrl + "#md0004", md0004.GetType().GetProperty("HelpLinkUri")!.GetValue(md0004));
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    [Trait("Category", "Packaging")]
    public void Symbol_package_PDBs_embed_the_sources_so_a_debugger_steps_in_without_SourceLink()
    {
        Assert.True(feed.Pack.ExitCode == 0, "dotnet pack failed:\n" + feed.Pack.Output);
        using ZipArchive zip = ZipFile.OpenRead(Path.Combine(feed.Directory, $"ModelDsl.{feed.Version}.snupkg"));
        foreach (string pdb in new[] { "lib/net10.0/ModelDsl.pdb", "lib/net10.0/ModelDsl.Attributes.pdb" })
        {
            using var stream = new MemoryStream();
            using (Stream entry = zip.GetEntry(pdb)?.Open() ?? throw new InvalidOperationException(pdb + " missing from the .snupkg")) entry.CopyTo(stream);
            stream.Position = 0;
            using var provider = MetadataReaderProvider.FromPortablePdbStream(stream);
            MetadataReader reader = provider.GetMetadataReader();
            var embedded = new Guid("0E8A571B-6926-466E-B4AD-8AB04611F5FE");
            var documents = reader.Documents.Select(h => (Name: reader.GetString(reader.GetDocument(h).Name), Handle: h)).ToList();
            var withoutText = documents
                .Where(d => d.Name.EndsWith(".cs", StringComparison.Ordinal))
                .Where(d => !reader.GetCustomDebugInformation(d.Handle).Any(c => reader.GetGuid(reader.GetCustomDebugInformation(c).Kind) == embedded))
                .Select(d => d.Name).ToList();
            Assert.True(documents.Count > 0 && withoutText.Count == 0, $"{pdb}: sources without embedded text:\n{string.Join("\n", withoutText)}");
        }
    }

    /// <summary>Both packages packed once into a fresh folder feed, under a version no cache can already hold.</summary>
    public sealed class Feed : IDisposable
    {
        /// <summary>The help-link page given at pack time, as a release would give its docs' address.</summary>
        public const string DocsUrl = "https://example.org/modeldsl/docs/diagnostics.md";

        private readonly string work = Path.Combine(Path.GetTempPath(), "modeldsl-smoke-" + Guid.NewGuid().ToString("N")[..8]);
        private readonly Dictionary<string, string> environment;

        public Feed()
        {
            Version = "0.0.0-smoke." + DateTime.UtcNow.ToString("yyyyMMddHHmmss") + "." + Guid.NewGuid().ToString("N")[..6];
            Directory = Path.Combine(work, "feed");
            environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(work, "packages") };
            string repo = RepositoryRoot();
            var outputs = new List<string>();
            int exitCode = 0;
            foreach (string project in new[] { "ModelDsl", "ModelDsl.Extras" })
            {
                DotnetProcess.Result pack = DotnetProcess.Run(repo, environment, StepTimeout,
                    "pack", Path.Combine(repo, "runtime", project, project + ".csproj"), "-c", "Release", "-o", Directory,
                    "--artifacts-path", Path.Combine(work, "artifacts"), "-p:Version=" + Version, "-p:ModelDslDocsUrl=" + DocsUrl, "-nodeReuse:false");
                outputs.Add(pack.Output);
                if (pack.ExitCode != 0) { exitCode = pack.ExitCode; break; }
            }
            Pack = new DotnetProcess.Result(exitCode, string.Join("\n", outputs));
        }

        public string Version { get; }

        public string Directory { get; }

        public DotnetProcess.Result Pack { get; }

        /// <summary>Copies tests/ConsumerSmoke/{name} (with the folder's Directory.Build.* fences) outside the repository and builds it.</summary>
        public string BuildConsumer(string name)
        {
            string repo = RepositoryRoot();
            string consumer = Path.Combine(work, "consumers", name);
            string source = Path.Combine(repo, "tests", "ConsumerSmoke");
            CopyFiles(source, Path.Combine(work, "consumers"));
            CopyFiles(Path.Combine(source, name), consumer);
            File.Copy(Path.Combine(repo, "global.json"), Path.Combine(work, "consumers", "global.json"), overwrite: true);
            File.WriteAllText(Path.Combine(work, "consumers", "nuget.config"), NuGetConfig(Directory, UserPackagesFolder()));

            // The SARIF log records each diagnostic rule with its help link (HelpLinks_open_the_page_the_package_ships).
            string sarif = Path.Combine(consumer, "build.sarif");
            DotnetProcess.Result build = DotnetProcess.Run(consumer, environment, StepTimeout, "build", "-p:ModelDslVersion=" + Version, "-nodeReuse:false",
                "-p:ErrorLog=" + sarif + "%2Cversion=2.1");
            Assert.True(build.ExitCode == 0, $"consumer {name} build failed:\n" + build.Output);
            Assert.Contains("0 Warning(s)", build.Output);
            return consumer;
        }

        public DotnetProcess.Result Run(string consumer)
            => DotnetProcess.Run(consumer, environment, StepTimeout, "run", "--no-build", "-p:ModelDslVersion=" + Version);

        public void Dispose()
        {
            try { System.IO.Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>What the package must hold: the issue's list, checked on the zip itself.</summary>
    private static void AssertPackageLayout(string nupkg)
    {
        using ZipArchive zip = ZipFile.OpenRead(nupkg);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        string[] expected =
        {
            "lib/net10.0/ModelDsl.dll", "lib/net10.0/ModelDsl.xml",
            "lib/net10.0/ModelDsl.Attributes.dll", "lib/net10.0/ModelDsl.Attributes.xml",
            "analyzers/dotnet/cs/ModelDsl.Generator.dll", "analyzers/dotnet/cs/ModelDsl.CodeFixes.dll",
            "buildTransitive/ModelDsl.targets", "buildTransitive/ModelDsl.NativeFix.targets", "buildTransitive/LibTorchSharpPatch.cs",
            "buildTransitive/ModelDsl.Weights.targets", // hands the analyzer the header of each ModelDslWeightsFile
            "docs/diagnostics.md", // the page the help links open (build/Package/ModelDsl.targets)
            "README.md", "LICENSE",
        };
        foreach (string entry in expected) Assert.True(entries.Contains(entry), $"{entry} missing from the package; it holds:\n{string.Join("\n", entries)}");
        // The generator is an analyzer, never a compile reference of the user's code.
        Assert.DoesNotContain("lib/net10.0/ModelDsl.Generator.dll", entries);

        using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName == "ModelDsl.nuspec").Open());
        string text = nuspec.ReadToEnd();
        Assert.Contains("<dependency id=\"TorchSharp\" version=\"0.107.0\"", text);
        // Users choose the native flavour (cpu or cuda), so no flavour is a dependency.
        Assert.DoesNotContain("TorchSharp-cpu", text);
        Assert.DoesNotContain("ModelDsl.Attributes", text);
        // Data sets, progress bars and plots are ModelDsl.Extras' dependencies, never the core package's.
        foreach (string optIn in new[] { "TorchVision", "Spectre.Console", "ScottPlot", "SkiaSharp" })
            Assert.DoesNotContain($"<dependency id=\"{optIn}\"", text);
        Assert.Contains("<license type=\"expression\">MIT</license>", text);
        // ONNX export needs the protobuf runtime: the version TorchSharp 0.107 already depends on, so adding ModelDsl
        // upgrades none of the user's packages.
        Assert.Contains("<dependency id=\"Google.Protobuf\" version=\"3.21.9\"", text);
    }

    private static void CopyFiles(string source, string destination)
    {
        System.IO.Directory.CreateDirectory(destination);
        foreach (string file in System.IO.Directory.GetFiles(source)) File.Copy(file, Path.Combine(destination, Path.GetFileName(file)), overwrite: true);
    }

    private static string NuGetConfig(string feed, string userPackages) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <clear />
            <add key="modeldsl-local" value="{feed}" />
            <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
          </packageSources>
          <fallbackPackageFolders>
            <add key="user-packages" value="{userPackages}" />
          </fallbackPackageFolders>
        </configuration>
        """;

    private static string UserPackagesFolder()
        => Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ModelDsl.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("ModelDsl.sln not found above " + AppContext.BaseDirectory);
    }
}

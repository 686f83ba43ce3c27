using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.IO.Compression;
using Xunit;

namespace ModelDsl.Generator.Tests.Packaging;

/// <summary>
/// The package as a user gets it: `dotnet pack` the runtime into a folder feed, then restore, build (zero warnings) and
/// run tests/ConsumerSmoke against that feed from a copy outside the repository, so neither the repository's
/// Directory.Build.* nor a ProjectReference can help it. On Debian 12 the forward pass only works if the package's
/// buildTransitive native fix ran.
/// Cost on the 2-core CI machine: about 1.5 minutes wall clock, ~30 s of CPU in the child processes (a fresh Release
/// build of attributes, generator, code fixes and runtime into a private artifacts folder, then the consumer).
/// Offline-ish: the consumer's NuGet cache is a fresh folder (so no stale ModelDsl is ever reused), and the user's
/// global packages folder is a fallback folder, so TorchSharp-cpu and libtorch are read from it instead of downloaded.
/// </summary>
public class ConsumerSmokeTests
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(6);

    [Fact]
    [Trait("Category", "Packaging")]
    public void Package_from_a_folder_feed_builds_without_warnings_and_runs_the_card_model()
    {
        string repo = RepositoryRoot();
        string work = Path.Combine(Path.GetTempPath(), "modeldsl-smoke-" + Guid.NewGuid().ToString("N")[..8]);
        // A version no cache can already hold, so the consumer is built from exactly this pack.
        string version = "0.0.0-smoke." + DateTime.UtcNow.ToString("yyyyMMddHHmmss") + "." + Guid.NewGuid().ToString("N")[..6];
        string feed = Path.Combine(work, "feed");
        string consumer = Path.Combine(work, "consumer");
        try
        {
            var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(work, "packages") };

            DotnetProcess.Result pack = DotnetProcess.Run(repo, environment, StepTimeout,
                "pack", Path.Combine(repo, "runtime", "ModelDsl", "ModelDsl.csproj"), "-c", "Release", "-o", feed,
                "--artifacts-path", Path.Combine(work, "artifacts"), "-p:Version=" + version, "-nodeReuse:false");
            Assert.True(pack.ExitCode == 0, "dotnet pack failed:\n" + pack.Output);

            string nupkg = Path.Combine(feed, $"ModelDsl.{version}.nupkg");
            AssertPackageLayout(nupkg);
            Assert.True(File.Exists(Path.Combine(feed, $"ModelDsl.{version}.snupkg")), "no symbol package next to " + nupkg);

            CopyConsumer(Path.Combine(repo, "tests", "ConsumerSmoke"), consumer);
            File.Copy(Path.Combine(repo, "global.json"), Path.Combine(consumer, "global.json"));
            File.WriteAllText(Path.Combine(consumer, "nuget.config"), NuGetConfig(feed, UserPackagesFolder()));

            DotnetProcess.Result build = DotnetProcess.Run(consumer, environment, StepTimeout,
                "build", "-p:ModelDslVersion=" + version, "-nodeReuse:false");
            Assert.True(build.ExitCode == 0, "consumer build failed:\n" + build.Output);
            Assert.Contains("0 Warning(s)", build.Output);

            DotnetProcess.Result run = DotnetProcess.Run(consumer, environment, StepTimeout,
                "run", "--no-build", "-p:ModelDslVersion=" + version);
            Assert.True(run.ExitCode == 0, "consumer run failed:\n" + run.Output);
            Assert.Contains("total                                 204,042", run.Output);
            Assert.Contains("forward: [4, 10]", run.Output);
            Assert.Contains("finite: True", run.Output);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
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
        Assert.Contains("<license type=\"expression\">MIT</license>", text);
    }

    private static void CopyConsumer(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (string file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }
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

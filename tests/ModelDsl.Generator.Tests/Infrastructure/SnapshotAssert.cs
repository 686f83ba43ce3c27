using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Snapshooter;
using Snapshooter.Xunit;
using Xunit;

namespace ModelDsl.Generator.Tests.Infrastructure;

/// <summary>
/// The one place snapshot testing is wired (Snapshooter today; Verify.Xunit once its core package restores here).
/// Snapshots live in __snapshots__ beside the tests, one raw-text file per generated file, LF endings, with the
/// generator version scrubbed so a version bump does not churn them.
/// </summary>
public static class SnapshotAssert
{
    private static readonly Regex version = new("GeneratedCode\\(\"ModelDsl.Generator\", \"[^\"]*\"\\)");

    public static void Matches(string generated, string name, [CallerFilePath] string testFile = "")
    {
        string scrubbed = version.Replace(generated.Replace("\r\n", "\n"), "GeneratedCode(\"ModelDsl.Generator\", \"{version}\")");
        // Snapshooter writes a missing snapshot and passes. Under CI a missing snapshot means it was never reviewed
        // and committed (or the test cannot see the committed one), so it fails instead.
        string testFolder = Path.GetDirectoryName(testFile)!;
        string snapshot = Path.Combine(testFolder, "__snapshots__", name + ".snap");
        if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 } && !File.Exists(snapshot))
        {
            Assert.Fail($"No committed snapshot {snapshot}: run the tests locally, review the new file and commit it.");
        }
        Snapshot.Match(scrubbed, new SnapshotFullName(name + ".snap", testFolder)); // Snapshooter adds __snapshots__/
    }
}

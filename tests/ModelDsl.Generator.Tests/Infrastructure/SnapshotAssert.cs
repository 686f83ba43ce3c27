using System.Text.RegularExpressions;
using Snapshooter.Xunit;

namespace ModelDsl.Generator.Tests.Infrastructure;

/// <summary>
/// The one place snapshot testing is wired (Snapshooter today; Verify.Xunit once its core package restores here).
/// Snapshots live in __snapshots__ beside the tests, one raw-text file per generated file, LF endings, with the
/// generator version scrubbed so a version bump does not churn them.
/// </summary>
public static class SnapshotAssert
{
    private static readonly Regex version = new("GeneratedCode\\(\"ModelDsl.Generator\", \"[^\"]*\"\\)");

    public static void Matches(string generated, string name)
    {
        string scrubbed = version.Replace(generated.Replace("\r\n", "\n"), "GeneratedCode(\"ModelDsl.Generator\", \"{version}\")");
        Snapshot.Match(scrubbed, name);
    }
}

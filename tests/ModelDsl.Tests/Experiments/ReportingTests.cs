using System.IO;
using System.Linq;
using Experiments;
using Xunit;

namespace ModelDsl.Tests.Experiments;

/// <summary>The experiments' figures render as PNG here (ScottPlot on SkiaSharp's native library) and the tables are Markdown.</summary>
public class ReportingTests
{
    private static readonly byte[] PngSignature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

    [Fact]
    public void BaggingReportWritesATableAndAPng()
    {
        // A result that follows the law exactly (v = 0.04, c = 0.01; at k = 20: 0.002 + 0.0095): the report needs numbers, not a training run.
        int[] k = Enumerable.Range(1, 20).ToArray();
        double[] law = k.Select(n => 0.04 / n + (n - 1) * 0.01 / n).ToArray();
        var result = new BaggingResult(0.04, 0.01, 0.004, 0.002, k, law, law);
        string docs = Directory.CreateTempSubdirectory("reporting-").FullName;
        try
        {
            string markdown = Reporting.Bagging(result, docs);

            Assert.Contains("| 20 | 0.0115 | 0.0115 | 1.00 | 0.00 |", markdown, System.StringComparison.Ordinal);
            Assert.Contains("](../figures/bagging-variance.png)", markdown, System.StringComparison.Ordinal);
            byte[] png = File.ReadAllBytes(Path.Combine(docs, "figures", "bagging-variance.png"));
            Assert.Equal(PngSignature, png.Take(8));
            Assert.InRange(png.Length, 5_000, 200_000);
        }
        finally
        {
            Directory.Delete(docs, recursive: true);
        }
    }
}

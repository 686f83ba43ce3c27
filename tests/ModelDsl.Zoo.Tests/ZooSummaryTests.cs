using System.Globalization;
using System.Linq;
using Xunit;
using Zoo;

namespace ModelDsl.Zoo.Tests;

/// <summary>
/// A ResNet-50's table has 172 rows; Summary(depth) folds it as torchinfo's depth does, so the hover and a reader see the
/// stem and the four stages first. Every depth keeps torchvision's parameter count, row by row.
/// </summary>
public sealed class ZooSummaryTests
{
    private const long TorchvisionParameters = 25_557_032;

    [Fact]
    public void ResNet50_at_depth_1_has_a_row_per_stem_layer_and_stage_whose_parameters_add_up_to_torchvisions()
    {
        using var model = new ResNet50();
        string[] rows = Body(model.Summary(1));
        Assert.Equal(new[] { "input", "conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "head" }, rows.Select(r => r.Split(':', ' ')[0]));
        Assert.Contains(rows, r => r.StartsWith("layer1: 3 residual units") && r.Contains("[B, 256, 56, 56]") && r.Contains("215,808"));
        Assert.Contains(rows, r => r.StartsWith("layer3: 6 residual units") && r.Contains("[B, 1024, 14, 14]"));
        Assert.Contains(rows, r => r.StartsWith("layer4: 3 residual units") && r.Contains("[B, 2048, 7, 7]") && r.Contains("14,964,736"));
        Assert.Contains(rows, r => r.StartsWith("head: 3 layers") && r.Contains("[B, 1000]") && r.Contains("2,049,000"));
        Assert.Equal(TorchvisionParameters, rows.Sum(r => Parameters(model.Summary(1), r)));
    }

    [Fact]
    public void ResNet50_keeps_torchvisions_total_at_every_depth_and_unfolds_a_level_at_a_time()
    {
        using var model = new ResNet50();
        for (int depth = 1; depth <= 5; depth++)
        {
            string table = model.Summary(depth);
            Assert.Matches(@"\ntotal +25,557,032", table);
            Assert.Equal(TorchvisionParameters, Body(table).Sum(r => Parameters(table, r)));
        }
        Assert.Contains("\nlayer1.0: residual unit (8-layer branch, projection shortcut)  ", model.Summary(2));
        Assert.Contains("\nlayer1.1: residual unit (8-layer branch, identity shortcut)  ", model.Summary(2));
        Assert.Contains("\nlayer1.0.shortcut: 2 layers  ", model.Summary(3));
        Assert.Equal(model.Summary(), model.Summary(4));  // the deepest names have four parts: layer1.0.shortcut.conv
        Assert.True(Body(model.Summary(1)).Length < Body(model.Summary(2)).Length && Body(model.Summary(2)).Length < Body(model.Summary(3)).Length);
    }

    /// <summary>The rows between the two rules: the input and the layers, without the header and the total.</summary>
    private static string[] Body(string table) => table.Split('\n').Skip(2).TakeWhile(r => !r.StartsWith("---")).ToArray();

    /// <summary>A row's Params cell: the third column, where the rule under the header has its third run of dashes.</summary>
    private static long Parameters(string table, string row)
    {
        string[] rules = table.Split('\n')[1].Split("  ");
        int start = rules[0].Length + 2 + rules[1].Length + 2, width = rules[2].Length;
        string cell = row.Length <= start ? "" : row.Substring(start, System.Math.Min(width, row.Length - start)).Trim();
        return cell.Length == 0 ? 0 : long.Parse(cell, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
    }
}

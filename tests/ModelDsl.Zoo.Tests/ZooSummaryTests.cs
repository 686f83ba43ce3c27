using System.Linq;
using Xunit;
using Zoo;

namespace ModelDsl.Zoo.Tests;

/// <summary>
/// A ResNet-50's table has 172 rows; Summary(depth) folds it as torchinfo's depth does, so the hover and a reader see the
/// stages first. Every depth keeps torchvision's parameter count.
/// </summary>
public sealed class ZooSummaryTests
{
    [Fact]
    public void ResNet50_at_depth_1_has_a_row_per_stem_layer_and_stage_and_every_depth_keeps_the_total()
    {
        using var model = new ResNet50();
        string[] rows = model.Summary(1).Split('\n');
        string[] names = rows.Skip(3).TakeWhile(r => !r.StartsWith("---")).Select(r => r.Split(':')[0]).ToArray();
        Assert.Equal(new[] { "conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "head" }, names);
        Assert.Contains(rows, r => r.StartsWith("layer1: 29 layers") && r.Contains("[B, 256, 56, 56]") && r.Contains("215,808"));
        Assert.Contains(rows, r => r.StartsWith("layer4: 29 layers") && r.Contains("[B, 2048, 7, 7]") && r.Contains("14,964,736"));
        foreach (int depth in new[] { 1, 2, 3, 9 })
            Assert.Matches(@"\ntotal +25,557,032", model.Summary(depth));
        Assert.Equal(model.Summary(), model.Summary(4));  // the deepest names have four parts: layer1.0.shortcut.conv
        Assert.Contains("\nlayer1.0.shortcut: 2 layers", model.Summary(3));
        Assert.True(model.Summary(2).Split('\n').Length < model.Summary().Split('\n').Length);
        Assert.Contains("\nlayer1.0: 11 layers", model.Summary(2));  // 3 × (conv, bn), 2 ReLUs, the ReLU after the sum, the projection's conv and bn
    }
}

using System;
using ModelDsl.Tests.Models;
using Xunit;

namespace ModelDsl.Tests.Generated;

/// <summary>
/// Summary(depth) on compiled models, through <see cref="IGeneratedModel"/>: a residual block folds into its unit, then
/// into one row; the deepest name and past it give the full table; a depth below 1 throws, naming the argument and the
/// depths there are.
/// </summary>
public class SummaryDepthTests
{
    [Fact]
    public void A_residual_block_folds_into_its_unit_then_into_one_row()
    {
        using var projection = new ResidualProjectionCnn(seed: 1);
        IGeneratedModel model = projection;
        Assert.Contains("\nblock: 1 residual unit  ", model.Summary(1));
        Assert.Contains("\nblock.0: residual unit (5-layer branch, projection shortcut)  ", model.Summary(2));
        Assert.Contains("\nblock.0.shortcut: 2 layers  ", model.Summary(3));
        // block.0.shortcut.conv, the deepest name, has four parts.
        Assert.Equal(ResidualProjectionCnn.SummaryText, model.Summary(4));
        Assert.Equal(model.Summary(), model.Summary(int.MaxValue));
    }

    [Fact]
    public void A_model_of_class_level_layers_gives_its_table_at_every_depth()
    {
        using var mlp = new Mlp(seed: 1);
        Assert.Equal(Mlp.SummaryText, mlp.Summary(1));
        Assert.Equal(Mlp.SummaryText, mlp.Summary(3));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void A_depth_below_1_throws_naming_the_argument_and_the_depths_there_are(int depth)
    {
        using var projection = new ResidualProjectionCnn(seed: 1);
        IGeneratedModel model = projection;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => model.Summary(depth));
        Assert.Equal("depth", error.ParamName);
        Assert.Equal(depth, error.ActualValue);
        Assert.StartsWith("The summary depth is 1 or more; 4 or more gives the full table.", error.Message);
        using var mlp = new Mlp(seed: 1);
        Assert.StartsWith("The summary depth is 1 or more.", Assert.Throws<ArgumentOutOfRangeException>(() => mlp.Summary(depth)).Message);
    }
}

using System;
using System.Collections.Generic;
using ModelDsl.Generator.Planning;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Generator.Tests.Convolution;

/// <summary>
/// The generator's compile-time shape formula against TorchSharp's real modules on random inputs, over a grid of
/// kernel / stride / padding / dilation. A generated model per grid point would be a compilation each; the rule's
/// formula is checked here directly, and ModelDsl.Tests checks whole generated CNNs layer by layer.
/// </summary>
public class SpatialSizeAgreementTests
{
    // A non-square input (7 × 12) so a swapped height and width would show.
    private const long Height = 7, Width = 12;

    private static IEnumerable<object[]> ConvGrid()
    {
        foreach (long kernel in new long[] { 1, 2, 3, 5 })
            foreach (long stride in new long[] { 1, 2, 3 })
                foreach (long padding in new long[] { 0, 1, 2 })
                    foreach (long dilation in new long[] { 1, 2, 3 })
                        yield return new object[] { kernel, stride, padding, dilation };
    }

    [Fact]
    public void Conv2d_output_size_matches_torchsharp_over_the_grid()
    {
        TorchNative.EnsureLoaded();
        using var scope = NewDisposeScope();
        Tensor input = randn(2, 3, Height, Width);
        int checkedPoints = 0, tooSmall = 0;
        foreach (object[] point in ConvGrid())
        {
            long kernel = (long)point[0], stride = (long)point[1], padding = (long)point[2], dilation = (long)point[3];
            long h = SpatialSize.Output(Height, kernel, stride, padding, dilation);
            long w = SpatialSize.Output(Width, kernel, stride, padding, dilation);
            using var conv = nn.Conv2d(3, 4, kernel, stride: stride, padding: padding, dilation: dilation);
            if (h < 1)
            {
                // Where the formula says the window no longer fits, TorchSharp refuses too (the generator reports MD0031).
                Assert.ThrowsAny<Exception>(() => conv.forward(input));
                tooSmall++;
                continue;
            }
            Assert.True(w >= 1);
            Assert.Equal(new[] { 2L, 4, h, w }, conv.forward(input).shape);
            checkedPoints++;
        }
        // The grid exercises both outcomes.
        Assert.True(checkedPoints > 80 && tooSmall > 0, $"{checkedPoints} fitting, {tooSmall} too small");
    }

    [Theory]
    [InlineData(1L, 1L)]
    [InlineData(2L, 1L)]
    [InlineData(3L, 2L)]
    [InlineData(4L, 1L)]
    [InlineData(5L, 3L)]
    public void Same_padding_keeps_height_and_width(long kernel, long dilation)
    {
        TorchNative.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var conv = nn.Conv2d(3, 4, kernel, TorchSharp.Padding.Same, dilation: dilation);
        Assert.Equal(new[] { 2L, 4, Height, Width }, conv.forward(randn(2, 3, Height, Width)).shape);
    }

    [Fact]
    public void Pool_output_size_matches_torchsharp_over_the_grid()
    {
        TorchNative.EnsureLoaded();
        using var scope = NewDisposeScope();
        Tensor input = randn(2, 3, Height, Width);
        foreach (long kernel in new long[] { 1, 2, 3, 4, 7 })
        {
            foreach (long stride in new long[] { 1, 2, 3 })
            {
                // Pools take no padding or dilation in the DSL: the rule calls the formula with p = 0, d = 1.
                long h = SpatialSize.Output(Height, kernel, stride, 0, 1), w = SpatialSize.Output(Width, kernel, stride, 0, 1);
                using var max = nn.MaxPool2d(kernel, stride: stride);
                using var avg = nn.AvgPool2d(kernel, stride: stride);
                Assert.Equal(new[] { 2L, 3, h, w }, max.forward(input).shape);
                Assert.Equal(new[] { 2L, 3, h, w }, avg.forward(input).shape);
            }
        }
    }

    [Theory]
    [InlineData(5L, 3L, 1L, 0L, 1L, 3L)]
    [InlineData(5L, 3L, 1L, 0L, 3L, -1L)] // floor division, not truncation: (5 − 6 − 1)/1 = −2 → −1
    [InlineData(4L, 3L, 2L, 0L, 2L, 0L)]  // (4 − 4 − 1)/2 = −0.5 floors to −1 → 0 (truncation would say 1)
    [InlineData(28L, 3L, 1L, 1L, 1L, 28L)]
    [InlineData(28L, 2L, 2L, 0L, 1L, 14L)]
    public void Formula_floors_negative_spans(long size, long kernel, long stride, long padding, long dilation, long expected)
        => Assert.Equal(expected, SpatialSize.Output(size, kernel, stride, padding, dilation));
}

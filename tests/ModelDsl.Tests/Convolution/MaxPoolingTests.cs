using System;
using System.Collections.Generic;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Convolution;

/// <summary>
/// <see cref="MaxPooling2D"/> pools a contiguous NCHW image through channels-last strides (with gradients, inside one autograd node);
/// it must be PyTorch's nn.MaxPool2d exactly: the same values (max is exact; both kernels scan a window in the same order
/// and keep the first maximum, which matters on ties), the same gradients, NaN propagated where libtorch propagates it,
/// and the caller's layout back.
/// Swept over every window geometry the DSL accepts on small maps, in float32 and float64, on inputs drawn from a few
/// integers so that ties are everywhere.
/// </summary>
public sealed class MaxPoolingTests
{
    public static IEnumerable<object[]> Geometries()
    {
        foreach (long kernel in new long[] { 1, 2, 3, 4 })
            foreach (long stride in new long[] { 1, 2, 3 })
                for (long padding = 0; padding <= kernel / 2; padding++)
                    foreach (bool ceil in new[] { false, true })
                        yield return new object[] { kernel, stride, padding, ceil };
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Values_and_gradients_equal_libtorch_max_pool2d_with_ties(long kernel, long stride, long padding, bool ceil)
    {
        using var scope = NewDisposeScope();
        using var pool = new MaxPooling2D(kernel, stride, padding, ceil);
        foreach (ScalarType dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
            foreach (long[] shape in new[] { new long[] { 2, 5, 7, 6 }, new long[] { 1, 16, 8, 8 }, new long[] { 3, 1, 5, 5 } })
            {
                var generator = new Generator((ulong)(kernel * 100 + stride * 10 + padding));
                Tensor values = randint(0, 4, shape, dtype: dtype, generator: generator);     // few values: ties in most windows
                Tensor Expected(Tensor x) => nn.functional.max_pool2d(x, new[] { kernel, kernel }, new[] { stride, stride }, new[] { padding, padding }, ceil_mode: ceil);
                string where = $"k {kernel}, s {stride}, p {padding}, ceil {ceil}, {dtype}, [{string.Join(", ", shape)}]";
                using (no_grad())
                {
                    Tensor pooled = pool.forward(values), reference = Expected(values);
                    Assert.True(pooled.shape.AsSpan().SequenceEqual(reference.shape), $"{where}: shape [{string.Join(", ", pooled.shape)}] vs [{string.Join(", ", reference.shape)}]");
                    Assert.True(pooled.Equals(reference), $"{where}: values differ");
                    Assert.True(pooled.is_contiguous(), $"{where}: a contiguous NCHW input must come back contiguous NCHW");
                }
                // While gradients are recorded it pools through ChannelsLastMaxPool: the values and gradients are nn.MaxPool2d's all the same.
                Tensor ours = values.detach().requires_grad_(true);
                Tensor theirs = values.detach().requires_grad_(true);
                Tensor y = pool.forward(ours);
                Tensor expected = Expected(theirs);
                Assert.True(y.Equals(expected), $"{where}: values with gradients differ");
                Tensor upstream = randn(expected.shape, dtype: dtype, generator: generator);
                y.backward(new[] { upstream });
                expected.backward(new[] { upstream });
                if (!ours.grad!.Equals(theirs.grad!))
                    Assert.Fail($"{where}: gradients differ (max {(ours.grad! - theirs.grad!).abs().max().to(ScalarType.Float64).item<double>()})");
            }
    }

    [Fact]
    public void Turned_off_it_pools_as_libtorch_does_with_the_same_values()
    {
        using var scope = NewDisposeScope();
        using var pool = new MaxPooling2D(3, 2, padding: 1);
        Tensor x = randn(new long[] { 2, 8, 9, 9 }, generator: new Generator(5));
        Tensor through = pool.forward(x);
        Tensor upstream = randn(through.shape, generator: new Generator(10));
        Tensor GradientOf(Tensor image)
        {
            Tensor leaf = image.detach().requires_grad_(true);
            pool.forward(leaf).backward(new[] { upstream });
            return leaf.grad!;
        }
        Tensor gradientThrough = GradientOf(x);
        MaxPooling2D.ThroughChannelsLast = false;
        try
        {
            Assert.True(pool.forward(x).Equals(through));
            Assert.True(GradientOf(x).Equals(gradientThrough));
        }
        finally { MaxPooling2D.ThroughChannelsLast = true; }
    }

    [Fact]
    public void With_gradients_the_output_and_the_input_gradient_are_contiguous_NCHW()
    {
        // The reason the gradient path is one autograd node: the layers before the pool get their gradient in the layout
        // they ran forward in.
        using var scope = NewDisposeScope();
        using var pool = new MaxPooling2D(3, 2, padding: 1);
        Tensor x = randn(new long[] { 2, 8, 9, 9 }, generator: new Generator(6)).requires_grad_(true);
        Tensor y = pool.forward(x);
        Assert.True(y.is_contiguous());
        y.backward(new[] { randn(y.shape, generator: new Generator(7)) });
        Assert.True(x.grad!.is_contiguous());
        Assert.False(ChannelsLast.IsChannelsLast(x.grad!));
    }

    [Fact]
    public void Second_derivatives_equal_libtorch_max_pool2d()
    {
        using var scope = NewDisposeScope();
        using var pool = new MaxPooling2D(2, 1);
        Tensor values = randn(new long[] { 2, 4, 6, 6 }, dtype: ScalarType.Float64, generator: new Generator(8));
        Tensor SecondDerivative(Func<Tensor, Tensor> f)
        {
            Tensor x = values.detach().requires_grad_(true);
            Tensor first = autograd.grad(new[] { f(x).pow(3).sum() }, new[] { x }, retain_graph: true, create_graph: true)[0];
            return autograd.grad(new[] { (first * first).sum() }, new[] { x })[0];
        }
        Tensor ours = SecondDerivative(pool.forward);
        Tensor theirs = SecondDerivative(x => nn.functional.max_pool2d(x, new long[] { 2, 2 }, new long[] { 1, 1 }));
        Assert.True(ours.allclose(theirs, rtol: 1e-12, atol: 1e-12), $"max difference {(ours - theirs).abs().max().item<double>()}");
    }

    [Fact]
    public void Training_steps_through_the_pool_leave_no_tensors_behind()
    {
        using var pool = new MaxPooling2D(2, 2);
        using var conv = nn.Conv2d(3, 8, 3, padding: 1);
        using Tensor x = randn(new long[] { 4, 3, 8, 8 }, generator: new Generator(9));
        void Step()
        {
            using var step = NewDisposeScope();
            pool.forward(conv.forward(x)).square().sum().backward();
        }
        Step();
        long before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 20; i++) Step();
        // Only the convolution's two gradients, made on the first step, are alive: nothing per step.
        Assert.Equal(before, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        foreach (var p in conv.parameters()) p.grad?.Dispose();
    }

    [Fact]
    public void A_channels_last_input_is_pooled_as_it_is_and_stays_channels_last()
    {
        using var scope = NewDisposeScope();
        using var pool = new MaxPooling2D(2, 2);
        Tensor x = ChannelsLast.Of(randn(new long[] { 2, 8, 6, 6 }, generator: new Generator(1)));
        Tensor y = pool.forward(x);
        Assert.True(ChannelsLast.IsChannelsLast(y));
        Assert.True(y.Equals(nn.functional.max_pool2d(x.contiguous(), new long[] { 2, 2 })));
    }

    [Fact]
    public void Non_contiguous_unbatched_and_single_channel_inputs_equal_libtorch()
    {
        using var scope = NewDisposeScope();
        using var pool = new MaxPooling2D(3, 2, padding: 1);
        Tensor wide = randn(new long[] { 2, 6, 9, 9 }, generator: new Generator(2));
        foreach (Tensor x in new[] { wide.narrow(1, 1, 4), wide[0], wide.narrow(1, 0, 1).contiguous() })
            Assert.True(pool.forward(x).Equals(nn.functional.max_pool2d(x, new long[] { 3, 3 }, new long[] { 2, 2 }, new long[] { 1, 1 })),
                $"[{string.Join(", ", x.shape)}] with strides [{string.Join(", ", x.stride())}]");
    }

    [Fact]
    public void NaN_propagates_to_the_windows_that_hold_it_as_in_libtorch()
    {
        using var scope = NewDisposeScope();
        using var pool = new MaxPooling2D(2, 2);
        Tensor x = randn(new long[] { 1, 4, 4, 4 }, generator: new Generator(3));
        x[0, 2, 1, 3] = tensor(double.NaN);
        Tensor y = pool.forward(x);
        Tensor expected = nn.functional.max_pool2d(x, new long[] { 2, 2 });
        Assert.True(y.isnan().Equals(expected.isnan()));
        Assert.Equal(1, y.isnan().sum().item<long>());
        Assert.True(y.nan_to_num(0).Equals(expected.nan_to_num(0)));
    }

    [Fact]
    public void A_two_window_pool_of_a_batch_frees_its_channels_last_copies()
    {
        using var scope = NewDisposeScope();
        using var pool = new MaxPooling2D(2, 2);
        Tensor x = randn(new long[] { 4, 8, 8, 8 }, generator: new Generator(4));
        long before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (Tensor y = pool.forward(x))
            Assert.Equal(before + 1, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Theory]
    [InlineData(16, 32, 16, 16, false)]
    [InlineData(16, 32, 17, 19, false)]   // floor mode drops the last row and column
    [InlineData(16, 32, 16, 18, true)]
    [InlineData(16, 32, 17, 16, true)]    // ceil mode with an odd side keeps a one-row window: libtorch's kernel
    public void Pairwise_a_large_2x2_pool_without_gradients_is_libtorchs_exactly(long n, long c, long h, long w, bool ceil)
    {
        using var scope = NewDisposeScope();
        using var pool = new MaxPooling2D(2, 2, ceilMode: ceil);
        bool pairwise = !(ceil && h % 2 == 1);
        foreach (ScalarType dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        {
            Tensor values = randint(0, 4, new[] { n, c, h, w }, dtype: dtype, generator: new Generator(5));   // ties in most windows
            values[0, 3, 5, 7] = tensor(double.NaN, dtype);
            Tensor expected = nn.functional.max_pool2d(values, new long[] { 2, 2 }, new long[] { 2, 2 }, ceil_mode: ceil);
            Tensor x = ChannelsLast.Of(values);
            using (no_grad())
            {
                Assert.Equal(pairwise, pool.PoolsPairwise(x));
                foreach ((Tensor input, bool channelsLast) in new[] { (x, true), (values, false) })
                {
                    Tensor y = pool.ForwardPairwise(input);
                    string where = $"[{n}, {c}, {h}, {w}], ceil {ceil}, {dtype}, channels-last input {channelsLast}";
                    Assert.True(y.isnan().Equals(expected.isnan()), $"{where}: NaN in other windows");
                    Assert.Equal(1, y.isnan().sum().item<long>());
                    Assert.True(y.nan_to_num(0).Equals(expected.nan_to_num(0)), $"{where}: values differ");
                    Assert.True(channelsLast ? ChannelsLast.IsChannelsLast(y) : y.is_contiguous(), $"{where}: the input's layout is not kept");
                }
            }
            Assert.False(pool.PoolsPairwise(x.detach().requires_grad_(true)));   // gradients: libtorch's kernel, its backward
        }
    }

    [Fact]
    public void Small_pools_switched_off_or_other_windows_use_libtorchs_kernel()
    {
        using var scope = NewDisposeScope();
        Tensor large = ChannelsLast.Of(randn(16, 32, 16, 16));
        using var pool = new MaxPooling2D(2, 2);
        Assert.False(pool.PoolsPairwise(ChannelsLast.Of(randn(1, 32, 28, 28))));   // 6,272 outputs: libtorch's single call is cheaper
        Assert.False(pool.PoolsPairwise(large.contiguous()));                      // NCHW: pooled through a channels-last copy first
        Assert.False(new MaxPooling2D(3, 2).PoolsPairwise(large));
        Assert.False(new MaxPooling2D(2, 1).PoolsPairwise(large));
        Assert.False(new MaxPooling2D(2, 2, padding: 1).PoolsPairwise(large));
        Assert.True(pool.PoolsPairwise(large));
        MaxPooling2D.PairwiseMaximum = false;
        try { Assert.False(pool.PoolsPairwise(large)); }
        finally { MaxPooling2D.PairwiseMaximum = true; }
        long before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (no_grad())
        using (Tensor y = pool.ForwardPairwise(large))
            Assert.Equal(before + 1, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);   // its views and maximums are freed
    }

    [Theory]
    [InlineData(0, 1, 0)]
    [InlineData(2, 0, 0)]
    [InlineData(3, 1, 2)]
    [InlineData(2, 2, -1)]
    public void A_window_PyTorch_refuses_throws_naming_it(long kernel, long stride, long padding)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MaxPooling2D(kernel, stride, padding));
        Assert.Contains($"not k {kernel}, s {stride}, p {padding}", e.Message);
    }

    [Fact]
    public void A_tensor_that_is_no_image_is_refused_with_its_shape()
    {
        using var pool = new MaxPooling2D(2, 2);
        var e = Assert.Throws<ShapeMismatchException>(() => pool.forward(zeros(4, 8)));
        Assert.Contains("[4, 8]", e.Message);
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Tests.Models;
using ModelDsl.Tests.Weights;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Convolution;

/// <summary>
/// <see cref="MaxPooling2D"/> pools a 2×2 window at stride 2 of a float32 channels-last image with ModelDsl's own kernel
/// (<see cref="TwoByTwoMaxPool"/>), and a bfloat16 one (autocast's) too; it must be libtorch's max_pool2d exactly: the same values, and every gradient sent to
/// the same window element — the first maximum on ties, the last NaN where a window holds NaN — swept over channel counts
/// with and without a vector tail, odd and even sides, floor and ceil mode, one and two threads. Sets process-wide
/// settings (the kernel switch, libtorch's thread count, the layout policy).
/// </summary>
[Collection(nameof(GlobalGeneratorCollection))]
public sealed class TwoByTwoMaxPoolTests
{
    private static readonly long[] Window = { 2, 2 };

    public static IEnumerable<object[]> Images()
    {
        foreach (long channels in new long[] { 3, 8, 13, 32, 37 })           // under one vector, one, a tail, four, four and a tail
            foreach ((long height, long width) in new[] { (2L, 2L), (5L, 8L), (8L, 7L), (9L, 11L) })
                foreach (bool ceil in new[] { false, true })
                    foreach (ScalarType dtype in new[] { ScalarType.Float32, ScalarType.BFloat16 })   // bfloat16: a convolution's under autocast
                        yield return new object[] { channels, height, width, ceil, dtype };
    }

    /// <summary>
    /// An image of the integers 0–3 (ties in most windows) with NaN, +∞ and −∞ planted, two NaNs in one window among them,
    /// and a window of −∞ only: channels-last, float32.
    /// </summary>
    private static Tensor TiedImage(long n, long channels, long height, long width, ulong seed)
    {
        Tensor values = randint(0, 4, new[] { n, channels, height, width }, dtype: ScalarType.Float32, generator: new Generator(seed));
        values[0, channels - 1, 0, 0] = tensor(float.NaN);
        values[0, channels - 1, 1, 1] = tensor(float.NaN);                   // the same window's last element: its NaN wins
        values[n - 1, 0, height - 1, width - 1] = tensor(float.NaN);         // dropped by a floor-mode pool of an odd side
        values[n - 1, channels / 2, 0, 1] = tensor(float.PositiveInfinity);
        values[n - 1, channels / 2, 1, 0] = tensor(float.PositiveInfinity);
        values[0, 0, height - 2, width - 2] = tensor(float.NegativeInfinity);
        values[0, 0, height - 2, width - 1] = tensor(float.NegativeInfinity);
        values[0, 0, height - 1, width - 2] = tensor(float.NegativeInfinity);
        values[0, 0, height - 1, width - 1] = tensor(float.NegativeInfinity);
        return ChannelsLast.Of(values);
    }

    private static void AssertSameValues(Tensor expected, Tensor actual, string where)
    {
        Assert.True(actual.shape.SequenceEqual(expected.shape), $"{where}: shape [{string.Join(", ", actual.shape)}], expected [{string.Join(", ", expected.shape)}]");
        Assert.True(actual.isnan().Equals(expected.isnan()), $"{where}: NaN in other places");
        Assert.True(actual.nan_to_num(0, 1e30, -1e30).Equals(expected.nan_to_num(0, 1e30, -1e30)), $"{where}: values differ");
    }

    private static (Tensor Output, Tensor Gradient) Run(Func<Tensor, Tensor> pool, Tensor image, Tensor upstream)
    {
        Tensor leaf = image.detach().requires_grad_(true);
        Tensor output = pool(leaf);
        output.backward(new[] { upstream });
        return (output.detach(), leaf.grad!);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Values_and_gradients_equal_libtorch_max_pool2d_on_ties_NaN_and_infinities(long channels, long height, long width, bool ceil, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        using var pool = new MaxPooling2D(2, 2, ceilMode: ceil);
        Tensor image = TiedImage(3, channels, height, width, (ulong)(channels * 100 + height * 10 + width)).to(dtype);
        string where = $"[3, {channels}, {height}, {width}] {dtype}, ceil {ceil}";
        Assert.Equal(!ceil || height % 2 == 0 && width % 2 == 0, pool.UsesTwoByTwoKernel(image));
        Tensor Libtorch(Tensor x) => nn.functional.max_pool2d(x, Window, Window, ceil_mode: ceil);

        using (no_grad())
        {
            Tensor pooled = pool.forward(image);
            AssertSameValues(Libtorch(image), pooled, where);
            Assert.True(ChannelsLast.IsChannelsLast(pooled), $"{where}: the output is not channels-last");
        }
        Tensor upstream = randn(Libtorch(image).shape, generator: new Generator(7)).to(dtype);
        var (output, gradient) = Run(pool.forward, image, upstream);
        var (expectedOutput, expectedGradient) = Run(Libtorch, image, upstream);
        AssertSameValues(expectedOutput, output, $"{where}, with gradients");
        Assert.True(gradient.Equals(expectedGradient), $"{where}: gradients differ at {(gradient != expectedGradient).nonzero().shape[0]} elements");
        Assert.True(ChannelsLast.IsChannelsLast(gradient) && gradient.dtype == dtype, $"{where}: the gradient is not channels-last {dtype}");
    }

    [Fact]
    public void The_output_is_no_view_so_an_in_place_ReLU_after_it_trains()
    {
        // Autograd refuses an in-place change of a view made inside a custom function; the generated CNNs run ReLU_ on it.
        using var scope = NewDisposeScope();
        using var pool = new MaxPooling2D(2, 2);
        Tensor image = ChannelsLast.Of(randn(new long[] { 4, 16, 6, 6 }, generator: new Generator(1)));
        Tensor upstream = randn(new long[] { 4, 16, 3, 3 }, generator: new Generator(2));
        var (output, gradient) = Run(x => nn.functional.relu(pool.forward(x), inplace: true), image, upstream);
        var (expected, expectedGradient) = Run(x => nn.functional.relu(nn.functional.max_pool2d(x, Window, Window)), image, upstream);
        Assert.True(output.Equals(expected));
        Assert.True(gradient.Equals(expectedGradient));
    }

    [Fact]
    public void Second_derivatives_equal_libtorch_max_pool2d()
    {
        using var scope = NewDisposeScope();
        using var pool = new MaxPooling2D(2, 2);
        Tensor image = ChannelsLast.Of(randn(new long[] { 2, 12, 7, 6 }, generator: new Generator(8)));
        Assert.True(pool.UsesTwoByTwoKernel(image));
        Tensor SecondDerivative(Func<Tensor, Tensor> f)
        {
            Tensor x = image.detach().requires_grad_(true);
            Tensor first = autograd.grad(new[] { f(x).pow(3).sum() }, new[] { x }, retain_graph: true, create_graph: true)[0];
            return autograd.grad(new[] { (first * first).sum() }, new[] { x })[0];
        }
        Tensor ours = SecondDerivative(pool.forward);
        Tensor theirs = SecondDerivative(x => nn.functional.max_pool2d(x, Window, Window));
        Assert.True(theirs.abs().sum().item<float>() > 0, "a second derivative that is zero everywhere would prove nothing");
        // The same float32 operations in a different order: within a few units in the last place.
        Assert.True(ours.allclose(theirs, rtol: 1e-5, atol: 1e-6), $"max difference {(ours - theirs).abs().max().item<float>()}");
    }

    [Fact]
    public void Two_threads_pool_a_batch_as_one_thread_does()
    {
        using var scope = NewDisposeScope();
        using var pool = new MaxPooling2D(2, 2);
        Tensor image = TiedImage(7, 13, 9, 10, 11);
        Tensor upstream = randn(new long[] { 7, 13, 4, 5 }, generator: new Generator(12));
        int threads = get_num_threads();
        try
        {
            set_num_threads(1);
            var (output, gradient) = Run(pool.forward, image, upstream);
            set_num_threads(2);
            var (parallelOutput, parallelGradient) = Run(pool.forward, image, upstream);
            AssertSameValues(output, parallelOutput, "two threads");
            Assert.True(parallelGradient.Equals(gradient));
        }
        finally { set_num_threads(threads); }
    }

    [Fact]
    public void Other_windows_types_layouts_and_the_switch_off_use_libtorchs_kernel()
    {
        using var scope = NewDisposeScope();
        Tensor image = ChannelsLast.Of(randn(4, 8, 10, 10));
        using var pool = new MaxPooling2D(2, 2);
        Assert.True(pool.UsesTwoByTwoKernel(image));
        Assert.False(pool.UsesTwoByTwoKernel(image.contiguous()));                       // NCHW
        Assert.False(pool.UsesTwoByTwoKernel(image.to(ScalarType.Float64)));             // float32 only
        Assert.False(pool.UsesTwoByTwoKernel(ChannelsLast.Of(randn(4, 8, 1, 10))));      // no whole window
        Assert.False(new MaxPooling2D(3, 2).UsesTwoByTwoKernel(image));
        Assert.False(new MaxPooling2D(2, 1).UsesTwoByTwoKernel(image));
        Assert.False(new MaxPooling2D(2, 2, padding: 1).UsesTwoByTwoKernel(image));
        Assert.False(new MaxPooling2D(2, 2, ceilMode: true).UsesTwoByTwoKernel(ChannelsLast.Of(randn(4, 8, 9, 10))));
        MaxPooling2D.TwoByTwoKernel = false;
        try { Assert.False(pool.UsesTwoByTwoKernel(image)); }
        finally { MaxPooling2D.TwoByTwoKernel = true; }
    }

    [Fact]
    public void Training_steps_through_the_kernel_leave_no_tensors_behind()
    {
        using var pool = new MaxPooling2D(2, 2);
        using var conv = nn.Conv2d(3, 8, 3, padding: 1);
        using Tensor x = ChannelsLast.Of(randn(new long[] { 4, 3, 8, 8 }, generator: new Generator(9)));
        void Step()
        {
            using var step = NewDisposeScope();
            Tensor features = ChannelsLast.Of(conv.forward(x));
            Assert.True(pool.UsesTwoByTwoKernel(features));
            pool.forward(features).square().sum().backward();
        }
        Step();
        long before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 20; i++) Step();
        Assert.Equal(before, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        foreach (var p in conv.parameters()) p.grad?.Dispose();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_generated_channels_last_cnn_trains_bit_for_bit_as_with_libtorchs_pool(bool training)
    {
        using var scope = NewDisposeScope();
        var model = new PooledRectifierCnn(seed: 4);   // BatchNorm, ReLU, then the 2×2 pool of an odd side (13)
        model.train(training);
        Tensor images = randn(new long[] { 6, 3, 13, 13 }, generator: new Generator(3));
        var layers = model.named_children().ToDictionary(c => c.name, c => c.module);
        (Tensor Output, Tensor[] Gradients) Run(bool kernel)
        {
            MaxPooling2D.TwoByTwoKernel = kernel;
            foreach (var p in model.parameters()) p.grad = null;
            Tensor output = model.forward(images);
            (output * output).sum().backward();
            return (output.detach().clone(), model.parameters().Select(p => p.grad!.detach().clone()).ToArray());
        }
        ChannelsLastPolicy before = ChannelsLast.Policy;
        try
        {
            ChannelsLast.Policy = ChannelsLastPolicy.Always;
            MaxPooling2D.FusesBatchNorm = false;   // the batch norm as its own layer in both runs (BatchNormMaxPoolTests covers it inside the pool)
            var (expected, expectedGradients) = Run(kernel: false);
            var (output, gradients) = Run(kernel: true);
            // What the generated forward hands its first pool (it calls the layers' forward, so no hook would see it).
            Tensor features = ((nn.Module<Tensor, Tensor>)layers["batchnorm"]).forward(ChannelsLast.FromLayer((Conv2d)layers["conv1"], images, model));
            Assert.True(((MaxPooling2D)layers["maxpool1"]).UsesTwoByTwoKernel(features));
            Assert.True(output.Equals(expected), "outputs");
            for (int i = 0; i < gradients.Length; i++) Assert.True(gradients[i].Equals(expectedGradients[i]), $"gradient of parameter {i}");
        }
        finally
        {
            ChannelsLast.Policy = before;
            MaxPooling2D.TwoByTwoKernel = true;
            MaxPooling2D.FusesBatchNorm = true;
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_kernels_refuse_buffers_shorter_than_the_images_before_they_load_unchecked(int shortBuffer)
    {
        // The kernels load and store without a bounds check per vector, after this one check of every span.
        var images = new TwoByTwoMaxPool.Images(Count: 2, Channels: 8, Height: 5, Width: 6);
        int imageLength = 2 * 5 * 6 * 8, pooledLength = 2 * 2 * 3 * 8;
        int image = imageLength - (shortBuffer == 0 ? 1 : 0), pooled = pooledLength - (shortBuffer == 1 ? 1 : 0);
        int index = pooledLength - (shortBuffer == 2 ? 1 : 0), other = imageLength - (shortBuffer == 3 ? 1 : 0);
        var error = Assert.Throws<InvalidOperationException>(() => images.Require(image, pooled, index, other));
        Assert.Contains("2 images of 8×5×6", error.Message);
        images.Require(imageLength, pooledLength, pooledLength, imageLength);   // exact lengths pass
    }
}

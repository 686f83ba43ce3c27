using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Tests.Models;
using ModelDsl.Tests.Weights;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Convolution;

/// <summary>
/// <see cref="MaxPooling2D.ForwardAfter"/> computes a batch norm inside the 2×2 pool's kernel (<see cref="BatchNormMaxPool"/>);
/// it must give what the two layers give one after the other — outputs, the gradients of the input, γ and β, the running
/// statistics and the batch count — within float rounding: the statistics are summed in double in one pass where libtorch
/// sums floats, so values differ in the last bits (relative 1e-5 is a few hundred units in the last place of float32, far
/// above what that changes and far below any wrong formula). Inputs are continuous, so no window ties within that rounding.
/// Sets process-wide settings (the fusion switch, thread count, layout policy).
/// </summary>
[Collection(nameof(GlobalGeneratorCollection))]
public sealed class BatchNormMaxPoolTests
{
    private static readonly long[] Window = { 2, 2 };

    public static IEnumerable<object[]> Images()
    {
        foreach (long channels in new long[] { 3, 8, 13, 29, 32 })   // 29 = 16 + 8 + 5: every vector width and the scalar tail
            foreach ((long height, long width) in new[] { (2L, 2L), (5L, 8L), (8L, 7L), (9L, 11L) })
                foreach (bool affine in new[] { true, false })
                    foreach (bool relu in new[] { false, true })
                        yield return new object[] { channels, height, width, affine, relu };
    }

    internal static BatchNormalization Norm(long channels, bool affine, int seed)
    {
        var norm = new BatchNormalization(channels, affine: affine);
        if (affine)
        {
            using var _ = no_grad();
            norm.Weight!.copy_(randn(new[] { channels }, generator: new Generator((ulong)seed)));
            norm.Bias!.copy_(randn(new[] { channels }, generator: new Generator((ulong)seed + 1)));
            // γ of both signs (the kernel picks each window's element by x·sign(γ)) and one γ = 0, as a zero-γ residual
            // init leaves it: all four normalized values tie there, and the gradient must go to the first, as PyTorch's.
            if (channels > 1) norm.Weight![channels / 2] = 0f;
        }
        return norm;
    }

    private sealed record Result(Tensor Output, Tensor InputGradient, Tensor? WeightGradient, Tensor? BiasGradient, Tensor RunningMean, Tensor RunningVar, long Batches);

    private static Result Train(BatchNormalization norm, MaxPooling2D pool, Tensor image, Tensor upstream, bool fused, bool relu = false)
    {
        bool before = MaxPooling2D.FusesBatchNorm;
        MaxPooling2D.FusesBatchNorm = fused;
        try
        {
            norm.train();
            Tensor x = image.detach().requires_grad_(true);
            Tensor y = pool.ForwardAfter(norm, x, applyReLU: relu);
            y.backward(new[] { upstream });
            return new Result(y.detach(), x.grad!, norm.Weight?.grad?.clone(), norm.Bias?.grad?.clone(), norm.RunningMean.clone(), norm.RunningVar.clone(),
                norm.NumBatchesTracked.item<long>());
        }
        finally { MaxPooling2D.FusesBatchNorm = before; }
    }

    internal static void AssertClose(Tensor expected, Tensor actual, string what, double rtol = 1e-5)
    {
        Assert.True(actual.shape.SequenceEqual(expected.shape), $"{what}: shape [{string.Join(", ", actual.shape)}], expected [{string.Join(", ", expected.shape)}]");
        double scale = Math.Max(expected.abs().max().item<float>(), 1e-3);
        double difference = (actual - expected).abs().max().item<float>();
        Assert.True(difference <= rtol * scale, $"{what}: max difference {difference:E2} at scale {scale:E2}");
    }

    private static Tensor Image(long n, long channels, long height, long width, int seed)
        => ChannelsLast.Of(randn(new[] { n, channels, height, width }, generator: new Generator((ulong)seed)) * 3 + 1);

    [Theory]
    [MemberData(nameof(Images))]
    public void In_training_it_gives_the_two_layers_outputs_gradients_and_running_statistics(long channels, long height, long width, bool affine, bool relu)
    {
        using var scope = NewDisposeScope();
        using var pool = new MaxPooling2D(2, 2);
        Tensor image = Image(4, channels, height, width, (int)(channels * 100 + height * 10 + width));
        Tensor upstream = ChannelsLast.Of(randn(new[] { 4, channels, height / 2, width / 2 }, generator: new Generator(5)));
        using BatchNormalization fusedNorm = Norm(channels, affine, 3), separateNorm = Norm(channels, affine, 3);
        Assert.True(pool.UsesTwoByTwoKernel(image) && fusedNorm.NormalizesInsidePool(image));

        Result separate = Train(separateNorm, pool, image, upstream, fused: false, relu);
        Result fused = Train(fusedNorm, pool, image, upstream, fused: true, relu);
        string where = $"[4, {channels}, {height}, {width}], affine {affine}, ReLU {relu}";
        // A window's maximum of four normalized values is rarely negative; with γ of both signs or enough windows some are.
        if (relu && (affine || separate.Output.numel() >= 100))
            Assert.True(separate.Output.eq(0).any().item<bool>() && separate.Output.gt(0).any().item<bool>(), $"{where}: the ReLU clips some outputs and keeps others");
        AssertClose(separate.Output, fused.Output, $"{where}: output");
        Assert.True(ChannelsLast.IsChannelsLast(fused.Output) && ChannelsLast.IsChannelsLast(fused.InputGradient), $"{where}: layout");
        AssertClose(separate.InputGradient, fused.InputGradient, $"{where}: input gradient");
        if (affine)
        {
            AssertClose(separate.WeightGradient!, fused.WeightGradient!, $"{where}: γ gradient");
            AssertClose(separate.BiasGradient!, fused.BiasGradient!, $"{where}: β gradient");
        }
        AssertClose(separate.RunningMean, fused.RunningMean, $"{where}: running mean");
        AssertClose(separate.RunningVar, fused.RunningVar, $"{where}: running variance");
        Assert.Equal(separate.Batches, fused.Batches);
    }

    public static IEnumerable<object[]> BFloat16Images()
    {
        foreach (object[] image in Images())
            if ((bool)image[3])   // affine: γ of both signs and a zero one
                foreach (bool wide in new[] { true, false })
                    yield return image.Append(wide).ToArray();
    }

    [Theory]
    [MemberData(nameof(BFloat16Images))]
    public void A_bfloat16_image_gives_bit_for_bit_the_kernels_float32_results_rounded(long channels, long height, long width, bool affine, bool relu, bool wide)
    {
        // What a convolution hands over under autocast. The kernel reads it as it is; widening each element to float32 is
        // exact, so the statistics and γ's and β's gradients must equal the float32 kernel's on the widened copy bit for
        // bit, and the output and the input gradient (bfloat16, as libtorch's batch norm gives them for a bfloat16 input)
        // that one's rounded to bfloat16 as libtorch rounds (to the nearest even).
        using var scope = NewDisposeScope();
        using var pool = new MaxPooling2D(2, 2);
        Tensor image = Image(4, channels, height, width, (int)(channels * 100 + height * 10 + width)).to(ScalarType.BFloat16);
        Tensor upstream = ChannelsLast.Of(randn(new[] { 4, channels, height / 2, width / 2 }, generator: new Generator(5))).to(ScalarType.BFloat16);
        using BatchNormalization norm = Norm(channels, affine, 3), twin = Norm(channels, affine, 3);
        Assert.True(pool.UsesTwoByTwoKernel(image) && norm.NormalizesInsidePool(image));
        bool before = BatchNormMaxPool.WideVectors;
        try
        {
            BatchNormMaxPool.WideVectors = wide;
            Tensor x = image.detach().requires_grad_(true), widened = image.to(ScalarType.Float32).detach().requires_grad_(true);
            Tensor y = norm.NormalizeAndPool(x, relu), expected = twin.NormalizeAndPool(widened, relu);
            y.backward(new[] { upstream });
            expected.backward(new[] { upstream.to(ScalarType.Float32) });
            string where = $"[4, {channels}, {height}, {width}], ReLU {relu}, {(wide ? 16 : 8)} channels per vector";
            Assert.True(y.dtype == ScalarType.BFloat16 && x.grad!.dtype == ScalarType.BFloat16, $"{where}: types");
            Assert.True(ChannelsLast.IsChannelsLast(y) && ChannelsLast.IsChannelsLast(x.grad!), $"{where}: layouts");
            Assert.True(y.Equals(expected.to(ScalarType.BFloat16)), $"{where}: output");
            Assert.True(x.grad!.Equals(widened.grad!.to(ScalarType.BFloat16)), $"{where}: input gradient");
            Assert.True(norm.Weight!.grad!.Equals(twin.Weight!.grad!) && norm.Bias!.grad!.Equals(twin.Bias!.grad!), $"{where}: γ and β gradients");
            Assert.True(norm.RunningMean.Equals(twin.RunningMean) && norm.RunningVar.Equals(twin.RunningVar), $"{where}: running statistics");
        }
        finally { BatchNormMaxPool.WideVectors = before; }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Under_autocast_a_bfloat16_image_gives_what_libtorchs_bfloat16_layers_give_within_their_rounding(bool training)
    {
        // The two layers apart under autocast: libtorch's batch norm (float32 arithmetic on a bfloat16 input, bfloat16 out),
        // its pool and ReLU. Each output is rounded once to bfloat16 on both sides, from float32 values that differ in the
        // last float32 bits (statistics summed differently), so they agree within one bfloat16 step: 2⁻⁸ of the value.
        using var scope = NewDisposeScope();
        using var pool = new MaxPooling2D(2, 2);
        using BatchNormalization norm = Norm(13, affine: true, 7), twin = Norm(13, affine: true, 7);
        if (!training)
        {
            norm.RunningMean.copy_(rand(13, generator: new Generator(4)));
            twin.RunningMean.copy_(norm.RunningMean);
            norm.eval();
            twin.eval();
        }
        Tensor image = Image(5, 13, 10, 10, 8).to(ScalarType.BFloat16);   // even sides: every element in a window
        Tensor x = image.detach().requires_grad_(training), separate = image.detach().requires_grad_(training);
        Tensor y, expected;
        using (Autocast.Enable())
        {
            y = pool.ForwardAfter(norm, x, applyReLU: true);
            MaxPooling2D.FusesBatchNorm = false;
            try { expected = pool.ForwardAfter(twin, separate, applyReLU: true); }
            finally { MaxPooling2D.FusesBatchNorm = true; }
        }
        Assert.True(y.dtype == ScalarType.BFloat16 && expected.dtype == ScalarType.BFloat16, $"types: {y.dtype}, libtorch's {expected.dtype}");
        AssertClose(expected.to(ScalarType.Float32), y.to(ScalarType.Float32), "output", rtol: 1.0 / 256);
        if (!training) return;
        Tensor g = randn(y.shape, generator: new Generator(3)).to(ScalarType.BFloat16);
        y.backward(new[] { g });
        expected.backward(new[] { g });
        Assert.Equal(ScalarType.BFloat16, x.grad!.dtype);
        // Where two elements of a window normalize to the same bfloat16, libtorch's pool sends the gradient to the first and
        // the kernel to the larger x (the class's remarks): the two gradients then swap within that window. Each window's
        // sum is the same either way, and such windows are rare.
        Tensor ours = x.grad!.to(ScalarType.Float32), theirs = separate.grad!.to(ScalarType.Float32);
        AssertClose(nn.functional.avg_pool2d(theirs, 2, 2), nn.functional.avg_pool2d(ours, 2, 2), "input gradient per window", rtol: 1.0 / 128);
        double scale = theirs.abs().max().item<float>();
        long routedElsewhere = (ours - theirs).abs().gt(scale / 128).sum().item<long>();
        Assert.True(routedElsewhere <= theirs.numel() / 100, $"input gradient: {routedElsewhere} of {theirs.numel()} elements differ by more than 2⁻⁷ of the scale");
        AssertClose(twin.Weight!.grad!, norm.Weight!.grad!, "γ gradient", rtol: 1.0 / 128);
        AssertClose(twin.RunningVar, norm.RunningVar, "running variance");
    }

    [Fact]
    public void At_eval_without_gradients_it_pools_the_running_statistics_normalized_image()
    {
        using var scope = NewDisposeScope();
        using var pool = new MaxPooling2D(2, 2);
        using BatchNormalization norm = Norm(13, affine: true, 7);
        Tensor image = Image(5, 13, 9, 10, 8);
        Train(norm, pool, image, ChannelsLast.Of(ones(5, 13, 4, 5)), fused: false);   // running statistics away from 0 and 1
        norm.eval();
        using (no_grad())
        {
            Tensor fused = pool.ForwardAfter(norm, image), rectified = pool.ForwardAfter(norm, image, applyReLU: true);
            MaxPooling2D.FusesBatchNorm = false;
            try
            {
                AssertClose(pool.forward(norm.forward(image)), fused, "eval output");
                AssertClose(pool.forward(norm.forward(image)).relu(), rectified, "eval output with the ReLU");
            }
            finally { MaxPooling2D.FusesBatchNorm = true; }
            Assert.True(ChannelsLast.IsChannelsLast(fused) && ChannelsLast.IsChannelsLast(rectified));
        }
        // At eval with gradients (a frozen batch norm being fine-tuned through): the two layers, exactly.
        Tensor x = image.detach().requires_grad_(true);
        Assert.True(pool.ForwardAfter(norm, x).Equals(pool.forward(norm.forward(x))));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Second_derivatives_equal_the_two_layers(bool relu)
    {
        using var scope = NewDisposeScope();
        using var pool = new MaxPooling2D(2, 2);
        using BatchNormalization fusedNorm = Norm(8, true, 11), separateNorm = Norm(8, true, 11);
        Tensor image = Image(3, 8, 6, 6, 12);
        Tensor SecondDerivative(BatchNormalization norm, bool fused)
        {
            MaxPooling2D.FusesBatchNorm = fused;
            try
            {
                Tensor x = image.detach().requires_grad_(true);
                Tensor first = autograd.grad(new[] { pool.ForwardAfter(norm, x, applyReLU: relu).pow(3).sum() }, new[] { x }, retain_graph: true, create_graph: true)[0];
                return autograd.grad(new[] { (first * first).sum() }, new[] { x })[0];
            }
            finally { MaxPooling2D.FusesBatchNorm = true; }
        }
        Tensor expected = SecondDerivative(separateNorm, fused: false);
        Assert.True(expected.abs().sum().item<float>() > 0, "a second derivative that is zero everywhere would prove nothing");
        AssertClose(expected, SecondDerivative(fusedNorm, fused: true), "second derivative", rtol: 1e-4);
    }

    [Fact]
    public void Second_derivatives_of_a_bfloat16_image_equal_the_float32_kernels_on_it_widened()
    {
        // The backward recomputes the layers from the saved image while gradients are recorded; a bfloat16 image is
        // recomputed in float32, as the kernel computed it, so the widened float32 run gives the same second derivative
        // up to the bfloat16 roundings of the output, the first derivative and the result, each 2⁻⁹ relative and
        // multiplied by the powers in between (y³, first²): a few 2⁻⁸ in all, where a wrong term would be off by O(1).
        using var scope = NewDisposeScope();
        using var pool = new MaxPooling2D(2, 2);
        using BatchNormalization norm = Norm(8, true, 11), twin = Norm(8, true, 11);
        Tensor image = Image(3, 8, 6, 6, 12).to(ScalarType.BFloat16);
        Tensor SecondDerivative(BatchNormalization layer, Tensor input)
        {
            Tensor x = input.detach().requires_grad_(true);
            Tensor first = autograd.grad(new[] { pool.ForwardAfter(layer, x, applyReLU: true).to(ScalarType.Float32).pow(3).sum() }, new[] { x },
                retain_graph: true, create_graph: true)[0];
            return autograd.grad(new[] { (first.to(ScalarType.Float32) * first.to(ScalarType.Float32)).sum() }, new[] { x })[0];
        }
        Tensor expected = SecondDerivative(twin, image.to(ScalarType.Float32));
        Tensor actual = SecondDerivative(norm, image);
        Assert.Equal(ScalarType.BFloat16, actual.dtype);
        Assert.True(expected.abs().sum().item<float>() > 0, "a second derivative that is zero everywhere would prove nothing");
        AssertClose(expected, actual.to(ScalarType.Float32), "second derivative", rtol: 1.0 / 32);   // measured 0.015
    }

    [Theory]
    [InlineData(false, ScalarType.Float32)]
    [InlineData(true, ScalarType.Float32)]
    [InlineData(true, ScalarType.BFloat16)]
    public void Two_threads_agree_with_one_and_repeat_themselves_bit_for_bit(bool relu, ScalarType dtype)
    {
        // Each thread sums its images' statistics, then the runs are added: float32 results agree with one thread's in
        // the last bits, bfloat16 ones (rounded once from those) within one bfloat16 step.
        using var scope = NewDisposeScope();
        using var pool = new MaxPooling2D(2, 2);
        Tensor image = Image(7, 16, 8, 10, 13).to(dtype);
        Tensor upstream = ChannelsLast.Of(randn(new long[] { 7, 16, 4, 5 }, generator: new Generator(14))).to(dtype);
        int threads = get_num_threads();
        try
        {
            set_num_threads(1);
            Result one = Train(Norm(16, true, 15), pool, image, upstream, fused: true, relu);
            set_num_threads(2);
            Result two = Train(Norm(16, true, 15), pool, image, upstream, fused: true, relu);
            Result again = Train(Norm(16, true, 15), pool, image, upstream, fused: true, relu);
            AssertClose(one.InputGradient.to(ScalarType.Float32), two.InputGradient.to(ScalarType.Float32), "two threads", dtype == ScalarType.BFloat16 ? 1.0 / 128 : 1e-5);
            Assert.True(two.InputGradient.Equals(again.InputGradient) && two.Output.Equals(again.Output) && two.RunningVar.Equals(again.RunningVar), "two threads, twice");
        }
        finally { set_num_threads(threads); }
    }

    [Theory]
    [InlineData(16L, false)]
    [InlineData(29L, true)]
    [InlineData(48L, true)]
    public void Sixteen_channels_per_vector_agree_with_eight_bit_for_bit(long channels, bool relu)
    {
        // Forced both ways, so the 512-bit loops run (emulated where the CPU lacks them) and are compared on any machine.
        using var scope = NewDisposeScope();
        using var pool = new MaxPooling2D(2, 2);
        Tensor image = Image(5, channels, 9, 8, 21);
        Tensor upstream = ChannelsLast.Of(randn(new[] { 5, channels, 4, 4 }, generator: new Generator(22)));
        bool before = BatchNormMaxPool.WideVectors;
        try
        {
            BatchNormMaxPool.WideVectors = true;
            Result wide = Train(Norm(channels, true, 23), pool, image, upstream, fused: true, relu);
            BatchNormMaxPool.WideVectors = false;
            Result narrow = Train(Norm(channels, true, 23), pool, image, upstream, fused: true, relu);
            string where = $"[5, {channels}, 9, 8], ReLU {relu}";
            Assert.True(wide.Output.Equals(narrow.Output), $"{where}: output");
            Assert.True(wide.InputGradient.Equals(narrow.InputGradient), $"{where}: input gradient");
            Assert.True(wide.WeightGradient!.Equals(narrow.WeightGradient!) && wide.BiasGradient!.Equals(narrow.BiasGradient!), $"{where}: γ and β gradients");
            Assert.True(wide.RunningMean.Equals(narrow.RunningMean) && wide.RunningVar.Equals(narrow.RunningVar), $"{where}: running statistics");
        }
        finally { BatchNormMaxPool.WideVectors = before; }
    }

    [Fact]
    public void Training_steps_leave_no_tensors_behind()
    {
        using var pool = new MaxPooling2D(2, 2);
        using var norm = new BatchNormalization(8);
        using var conv = nn.Conv2d(3, 8, 3, padding: 1);
        using Tensor x = ChannelsLast.Of(randn(new long[] { 4, 3, 8, 8 }, generator: new Generator(16)));
        void Step()
        {
            using var step = NewDisposeScope();
            Tensor features = ChannelsLast.Of(conv.forward(x));
            Assert.True(norm.NormalizesInsidePool(features));
            pool.ForwardAfter(norm, features).square().sum().backward();
        }
        Step();
        long before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 20; i++) Step();
        Assert.Equal(before, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        foreach (var p in conv.parameters().Concat(norm.parameters())) p.grad?.Dispose();
    }

    [Fact]
    public void What_the_kernel_does_not_take_runs_as_the_two_layers()
    {
        using var scope = NewDisposeScope();
        Tensor image = Image(2, 8, 6, 6, 17);
        using var norm = new BatchNormalization(8);
        Assert.True(norm.NormalizesInsidePool(image));
        Assert.False(norm.NormalizesInsidePool(Image(2, 4, 6, 6, 17)));                      // another channel count
        using (var wide = new BatchNormalization(8, dtype: ScalarType.Float64)) Assert.False(wide.NormalizesInsidePool(image));
        using (var sequence = new BatchNormalization(8, featuresLast: true)) Assert.False(sequence.NormalizesInsidePool(image));
        // The two layers then run, and refuse what they refuse, naming the layer.
        using var pool = new MaxPooling2D(2, 2);
        var e = Assert.Throws<ShapeMismatchException>(() => pool.ForwardAfter(norm, Image(2, 4, 6, 6, 18)));
        Assert.Contains("BatchNormalization(8)", e.Message);
    }

    [Theory]
    [InlineData("NCHW", 2L)]
    [InlineData("3×3 window", 3L)]
    [InlineData("float64", 2L)]
    public void Where_the_kernel_does_not_apply_the_relu_rectifies_the_layers_output_and_trains(string what, long window)
    {
        // The fallback rectifies in place what the pool returns, which may be a custom autograd function's output (the
        // NCHW training pool): autograd must still accept it, and the values and gradients are the three layers'.
        using var scope = NewDisposeScope();
        ScalarType type = what == "float64" ? ScalarType.Float64 : ScalarType.Float32;
        Tensor image = randn(new long[] { 3, 8, 6, 6 }, dtype: type, generator: new Generator(21));
        if (what != "NCHW") image = ChannelsLast.Of(image);
        using var pool = new MaxPooling2D(window, window);
        (Tensor Output, Tensor Gradient) Run(bool together)
        {
            using var norm = new BatchNormalization(8, dtype: type);
            Tensor x = image.detach().requires_grad_(true);
            Tensor y = together ? pool.ForwardAfter(norm, x, applyReLU: true) : nn.functional.relu(pool.forward(norm.forward(x)));
            (y * y).sum().backward();
            return (y.detach(), x.grad!);
        }
        var (expected, expectedGradient) = Run(together: false);
        var (output, gradient) = Run(together: true);
        Assert.False(pool.UsesTwoByTwoKernel(image), $"{what}: the kernel should not apply here");
        Assert.True(output.Equals(expected), $"{what}: output");
        Assert.True(gradient.Equals(expectedGradient), $"{what}: input gradient");
    }

    [Fact]
    public void A_float64_generated_cnn_runs_the_two_layers_bit_for_bit()
    {
        // Its forward calls ForwardAfter too; the kernel takes float32 only, so both runs are the two layers.
        using var scope = NewDisposeScope();
        Tensor images = randn(new long[] { 4, 3, 13, 13 }, dtype: ScalarType.Float64, generator: new Generator(3));
        (Tensor Output, Tensor[] Gradients) Run(bool fused)
        {
            MaxPooling2D.FusesBatchNorm = fused;
            var model = new PooledRectifierCnn(seed: 4, dtype: ScalarType.Float64);
            Tensor output = model.forward(images);
            output.square().sum().backward();
            return (output.detach(), model.parameters().Select(p => p.grad!.clone()).ToArray());
        }
        ChannelsLastPolicy before = ChannelsLast.Policy;
        try
        {
            ChannelsLast.Policy = ChannelsLastPolicy.Always;
            var (expected, expectedGradients) = Run(fused: false);
            var (output, gradients) = Run(fused: true);
            Assert.Equal(ScalarType.Float64, output.dtype);
            Assert.True(output.Equals(expected));
            for (int i = 0; i < gradients.Length; i++) Assert.True(gradients[i].Equals(expectedGradients[i]), $"gradient of parameter {i}");
        }
        finally
        {
            ChannelsLast.Policy = before;
            MaxPooling2D.FusesBatchNorm = true;
        }
    }

    [Fact]
    public void A_bfloat16_generated_cnn_pools_with_the_kernel_as_with_libtorchs_pool_bit_for_bit()
    {
        // A whole model in bfloat16 (no autocast): its batch norms' parameters are bfloat16, so the batch norm runs as
        // libtorch's, and each 2×2 pool takes ModelDsl's kernel, which must give libtorch's pool exactly.
        using var scope = NewDisposeScope();
        Tensor images = randn(new long[] { 4, 3, 13, 13 }, generator: new Generator(3)).to(ScalarType.BFloat16);
        (Tensor Output, Tensor[] Gradients) Run(bool kernel)
        {
            MaxPooling2D.TwoByTwoKernel = kernel;
            var model = new PooledRectifierCnn(seed: 4, dtype: ScalarType.BFloat16);
            Tensor output = model.forward(images);
            output.to(ScalarType.Float32).square().sum().backward();
            return (output.detach(), model.parameters().Select(p => p.grad!.clone()).ToArray());
        }
        ChannelsLastPolicy before = ChannelsLast.Policy;
        try
        {
            ChannelsLast.Policy = ChannelsLastPolicy.Always;
            var (expected, expectedGradients) = Run(kernel: false);
            var (output, gradients) = Run(kernel: true);
            using (var pool = new MaxPooling2D(2, 2))
                Assert.True(pool.UsesTwoByTwoKernel(ChannelsLast.Of(images)), "the kernel takes a bfloat16 channels-last image");
            Assert.Equal(ScalarType.BFloat16, output.dtype);
            Assert.True(output.Equals(expected));
            for (int i = 0; i < gradients.Length; i++) Assert.True(gradients[i].Equals(expectedGradients[i]), $"gradient of parameter {i}");
        }
        finally
        {
            ChannelsLast.Policy = before;
            MaxPooling2D.TwoByTwoKernel = true;
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_generated_cnn_trains_as_with_the_two_layers(bool training)
    {
        // PooledRectifierCnn: Conv2d, BatchNorm, ReLU, MaxPool2d(2) — its forward calls ForwardAfter (the generator's tests
        // check the line). Three SGD steps with and without the fusion.
        using var scope = NewDisposeScope();
        Tensor images = randn(new long[] { 6, 3, 13, 13 }, generator: new Generator(3));
        (Tensor Output, Tensor[] Parameters, Tensor[] Buffers) Run(bool fused)
        {
            MaxPooling2D.FusesBatchNorm = fused;
            var model = new PooledRectifierCnn(seed: 4);
            model.train(training);
            var optimizer = optim.SGD(model.parameters(), 0.05);
            Tensor output = null!;
            for (int step = 0; step < 3; step++)
            {
                optimizer.zero_grad();
                output = model.forward(images);
                (output * output).mean().backward();
                optimizer.step();
            }
            return (output.detach(), model.parameters().Select(p => p.detach().clone()).ToArray(), model.buffers().Select(b => b.clone()).ToArray());
        }
        ChannelsLastPolicy before = ChannelsLast.Policy;
        try
        {
            ChannelsLast.Policy = ChannelsLastPolicy.Always;
            var (expected, expectedParameters, expectedBuffers) = Run(fused: false);
            var (output, parameters, buffers) = Run(fused: true);
            AssertClose(expected, output, "output", rtol: 1e-4);
            for (int i = 0; i < parameters.Length; i++) AssertClose(expectedParameters[i], parameters[i], $"parameter {i}", rtol: 1e-4);
            for (int i = 0; i < buffers.Length; i++) AssertClose(expectedBuffers[i].to(ScalarType.Float32), buffers[i].to(ScalarType.Float32), $"buffer {i}", rtol: 1e-4);
        }
        finally
        {
            ChannelsLast.Policy = before;
            MaxPooling2D.FusesBatchNorm = true;
        }
    }
}

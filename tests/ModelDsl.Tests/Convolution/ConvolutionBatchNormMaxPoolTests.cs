using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Tests.Weights;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;
using static ModelDsl.Tests.Convolution.BatchNormMaxPoolTests;   // Norm (γ of both signs and a zero one) and AssertClose

namespace ModelDsl.Tests.Convolution;

/// <summary>
/// <see cref="MaxPooling2D.ForwardAfter(BatchNormalization, Conv2d, Tensor, nn.Module, bool)"/> computes a one-channel 3×3
/// convolution, a training batch norm and a 2×2 max pool (and a ReLU) in one node (<see cref="ConvolutionBatchNormMaxPool"/>);
/// it must give what libtorch's layers give one after the other — output, the gradients of the convolution's kernel, γ and
/// β, the running statistics and the batch count — within float rounding. The convolution's sums run in another order and
/// the statistics in double in one pass; the kernel's gradient comes from the image's moments instead of a sum over
/// positions, so it is compared at 1e-4 relative to its largest element (sums of 10⁴ products of float rounding, where a
/// wrong term is off by O(1)). Sets process-wide settings (the fusion switches, thread count, layout policy).
/// </summary>
[Collection(nameof(GlobalGeneratorCollection))]
public sealed class ConvolutionBatchNormMaxPoolTests
{
    public static IEnumerable<object[]> Cases()
    {
        foreach (long channels in new long[] { 1, 8, 13, 32 })   // 13 = 8 + 5: a full vector and a part of one
            foreach ((long height, long width) in new[] { (2L, 2L), (5L, 8L), (8L, 7L), (9L, 11L), (28L, 28L) })
                foreach (bool affine in new[] { true, false })
                    foreach (bool relu in new[] { false, true })
                        yield return new object[] { channels, height, width, affine, relu };
    }

    private static Conv2d Convolution(long channels, int seed, bool bias = false)
    {
        var conv = nn.Conv2d(1, channels, 3, padding: 1, bias: bias);
        using var _ = no_grad();
        conv.weight!.copy_(randn(new[] { channels, 1L, 3, 3 }, generator: new Generator((ulong)seed)) * 0.5);
        return conv;
    }

    private sealed record Result(Tensor Output, Tensor KernelGradient, Tensor? WeightGradient, Tensor? BiasGradient, Tensor RunningMean, Tensor RunningVar, long Batches);

    // The node where `fused`; libtorch's layers (FromLayer's convolution, batch_norm, max_pool2d, relu) otherwise.
    private static Result Train(Conv2d conv, BatchNormalization norm, MaxPooling2D pool, Tensor image, Tensor upstream, bool fused, bool relu)
    {
        (bool convolution, bool batchNorm, bool enabled) = (MaxPooling2D.FusesConvolution, MaxPooling2D.FusesBatchNorm, ConvolutionBatchNormMaxPool.Enabled);
        ChannelsLastPolicy policy = ChannelsLast.Policy;
        MaxPooling2D.FusesConvolution = MaxPooling2D.FusesBatchNorm = ConvolutionBatchNormMaxPool.Enabled = fused;   // on any CPU: the kernel is tested everywhere
        ChannelsLast.Policy = ChannelsLastPolicy.Always;
        try
        {
            norm.train();
            conv.weight!.grad?.zero_();
            Tensor y = pool.ForwardAfter(norm, conv, image, conv, applyReLU: relu);
            y.backward(new[] { upstream });
            return new Result(y.detach(), conv.weight!.grad!.clone(), norm.Weight?.grad?.clone(), norm.Bias?.grad?.clone(), norm.RunningMean.clone(),
                norm.RunningVar.clone(), norm.NumBatchesTracked.item<long>());
        }
        finally
        {
            (MaxPooling2D.FusesConvolution, MaxPooling2D.FusesBatchNorm, ConvolutionBatchNormMaxPool.Enabled) = (convolution, batchNorm, enabled);
            ChannelsLast.Policy = policy;
        }
    }

    // Pixels in [0, 1] plus an offset, as a normalized grayscale image is: the batch norm's mean is then far from zero.
    private static Tensor Image(long n, long height, long width, int seed)
        => rand(new[] { n, 1, height, width }, generator: new Generator((ulong)seed)) * 2 - 0.4;

    [Theory]
    [MemberData(nameof(Cases))]
    public void In_training_it_gives_the_layers_output_gradients_and_running_statistics(long channels, long height, long width, bool affine, bool relu)
    {
        using var scope = NewDisposeScope();
        using var pool = new MaxPooling2D(2, 2);
        Tensor image = Image(4, height, width, (int)(channels * 100 + height * 10 + width));
        Tensor upstream = ChannelsLast.Of(randn(new[] { 4, channels, height / 2, width / 2 }, generator: new Generator(5)));
        using Conv2d fusedConv = Convolution(channels, 7), separateConv = Convolution(channels, 7);
        using BatchNormalization fusedNorm = Norm(channels, affine, 3), separateNorm = Norm(channels, affine, 3);
        Assert.True(ConvolutionBatchNormMaxPool.Handles(fusedConv, image));

        Result separate = Train(separateConv, separateNorm, pool, image, upstream, fused: false, relu);
        Result fused = Train(fusedConv, fusedNorm, pool, image, upstream, fused: true, relu);
        string where = $"[4, 1, {height}, {width}] → {channels} channels, affine {affine}, ReLU {relu}";
        AssertClose(separate.Output, fused.Output, $"{where}: output");
        Assert.True(ChannelsLast.IsChannelsLast(fused.Output), $"{where}: layout");
        AssertClose(separate.KernelGradient, fused.KernelGradient, $"{where}: kernel gradient", rtol: 1e-4);
        if (affine)
        {
            AssertClose(separate.WeightGradient!, fused.WeightGradient!, $"{where}: γ gradient", rtol: 1e-4);
            AssertClose(separate.BiasGradient!, fused.BiasGradient!, $"{where}: β gradient");
        }
        AssertClose(separate.RunningMean, fused.RunningMean, $"{where}: running mean");
        AssertClose(separate.RunningVar, fused.RunningVar, $"{where}: running variance");
        Assert.Equal(separate.Batches, fused.Batches);
    }

    [Fact]
    public void A_batch_sliced_from_a_larger_tensor_reads_its_own_images()
    {
        // What a data loader hands over: images 3–6 of a batch of 8, contiguous but not at the start of their storage.
        using var scope = NewDisposeScope();
        using var pool = new MaxPooling2D(2, 2);
        Tensor image = Image(8, 10, 10, 50).narrow(0, 3, 4);
        Assert.True(image.is_contiguous() && image.storage_offset() > 0);
        Tensor upstream = ChannelsLast.Of(randn(new long[] { 4, 8, 5, 5 }, generator: new Generator(51)));
        using Conv2d fusedConv = Convolution(8, 7), separateConv = Convolution(8, 7);
        using BatchNormalization fusedNorm = Norm(8, true, 3), separateNorm = Norm(8, true, 3);
        Result separate = Train(separateConv, separateNorm, pool, image, upstream, fused: false, relu: true);
        Result fused = Train(fusedConv, fusedNorm, pool, image, upstream, fused: true, relu: true);
        AssertClose(separate.Output, fused.Output, "output");
        AssertClose(separate.KernelGradient, fused.KernelGradient, "kernel gradient", rtol: 1e-4);
        AssertClose(separate.RunningMean, fused.RunningMean, "running mean");
    }

    // Runs `body` with the node on (or off: the layers apart), and the layout policy that lets it run.
    private static T With<T>(bool fused, Func<T> body)
    {
        (bool convolution, bool enabled) = (MaxPooling2D.FusesConvolution, ConvolutionBatchNormMaxPool.Enabled);
        ChannelsLastPolicy policy = ChannelsLast.Policy;
        (MaxPooling2D.FusesConvolution, ConvolutionBatchNormMaxPool.Enabled, ChannelsLast.Policy) = (fused, fused, ChannelsLastPolicy.Always);
        try { return body(); }
        finally { (MaxPooling2D.FusesConvolution, ConvolutionBatchNormMaxPool.Enabled, ChannelsLast.Policy) = (convolution, enabled, policy); }
    }

    [Fact]
    public void A_generated_mnist_cnn_trains_a_step_as_with_the_layers_apart()
    {
        // examples/MnistCnn's network, whose forward calls maxpool1.ForwardAfter(batchnorm1, conv1, x, this, applyReLU: true).
        using var scope = NewDisposeScope();
        Tensor images = rand(new long[] { 16, 1, 28, 28 }, generator: new Generator(21)) * 2 - 0.4;
        Tensor labels = randint(10, new long[] { 16 }, generator: new Generator(22));
        (float Loss, Tensor[] Gradients, Tensor[] Buffers, Tensor Eval) Step(bool fused) => With(fused, () =>
        {
            using var model = new ModelDsl.Tests.Folding.FoldMnistCnn(seed: 5);
            model.train();
            manual_seed(9);   // the dropouts draw the same masks in both runs
            Tensor loss = nn.functional.cross_entropy(model.forward(images), labels);
            loss.backward();
            Tensor[] gradients = model.parameters().Select(p => p.grad!.clone()).ToArray();
            Tensor[] buffers = model.buffers().Select(b => b.clone()).ToArray();
            model.eval();
            Tensor eval;
            using (no_grad()) eval = model.forward(images);
            return (loss.item<float>(), gradients, buffers, eval);
        });
        var layers = Step(fused: false);
        var fused = Step(fused: true);
        Assert.Equal(layers.Loss, fused.Loss, 1e-5f * Math.Max(1f, Math.Abs(layers.Loss)));
        Assert.Equal(layers.Gradients.Length, fused.Gradients.Length);
        for (int i = 0; i < layers.Gradients.Length; i++) AssertClose(layers.Gradients[i], fused.Gradients[i], $"parameter {i}'s gradient", rtol: 1e-4);
        for (int i = 0; i < layers.Buffers.Length; i++)
        {
            if (layers.Buffers[i].is_floating_point()) AssertClose(layers.Buffers[i], fused.Buffers[i], $"buffer {i}");
            else Assert.True(layers.Buffers[i].Equals(fused.Buffers[i]), $"buffer {i} (the batch count)");
        }
        AssertClose(layers.Eval, fused.Eval, "eval output after the step", rtol: 1e-4);
    }

    [Fact]
    public void An_image_that_needs_a_gradient_or_autocast_runs_the_layers()
    {
        using var scope = NewDisposeScope();
        using var pool = new MaxPooling2D(2, 2);
        using Conv2d conv = Convolution(8, 7);
        using BatchNormalization norm = Norm(8, affine: true, 3);
        Tensor image = Image(4, 8, 8, 31).requires_grad_(true);
        Assert.False(ConvolutionBatchNormMaxPool.Handles(conv, image));
        Tensor Gradient(bool fused) => With(fused, () =>
        {
            image.grad?.zero_();
            pool.ForwardAfter(norm, conv, image, conv, applyReLU: true).pow(2).sum().backward();
            return image.grad!.clone();
        });
        Tensor expected = Gradient(fused: false);
        Assert.True(expected.abs().sum().item<float>() > 0);
        Assert.True(expected.Equals(Gradient(fused: true)), "the image's gradient comes from the layers, bit for bit");

        if (!Autocast.IsAvailable) return;
        Tensor plain = Image(4, 8, 8, 32);
        Tensor Output(bool fused) => With(fused, () =>
        {
            using (Autocast.Enable()) return pool.ForwardAfter(norm, conv, plain, conv).detach();
        });
        Tensor underAutocast = Output(fused: false);
        Assert.Equal(ScalarType.BFloat16, underAutocast.dtype);   // autocast's bfloat16 convolution, as the layers give it
        Assert.True(underAutocast.Equals(Output(fused: true)), "under autocast the layers run, bit for bit");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Second_derivatives_equal_the_layers(bool relu)
    {
        using var scope = NewDisposeScope();
        using var pool = new MaxPooling2D(2, 2);
        using Conv2d conv = Convolution(8, 7);
        using BatchNormalization norm = Norm(8, affine: true, 3);
        Tensor image = Image(3, 6, 6, 12);
        Tensor SecondDerivative(bool fused) => With(fused, () =>
        {
            Tensor first = autograd.grad(new[] { pool.ForwardAfter(norm, conv, image, conv, applyReLU: relu).pow(3).sum() }, new[] { conv.weight! },
                retain_graph: true, create_graph: true)[0];
            return autograd.grad(new[] { (first * first).sum() }, new[] { conv.weight! })[0];
        });
        Tensor expected = SecondDerivative(fused: false);
        Assert.True(expected.abs().sum().item<float>() > 0, "a second derivative that is zero everywhere would prove nothing");
        AssertClose(expected, SecondDerivative(fused: true), "second derivative", rtol: 1e-4);
    }

    [Fact]
    public void Two_threads_agree_with_one_and_repeat_themselves_bit_for_bit()
    {
        using var scope = NewDisposeScope();
        using var pool = new MaxPooling2D(2, 2);
        using Conv2d conv = Convolution(13, 7);
        using BatchNormalization norm = Norm(13, affine: true, 3);
        Tensor image = Image(6, 9, 11, 40);
        Tensor upstream = ChannelsLast.Of(randn(new long[] { 6, 13, 4, 5 }, generator: new Generator(41)));
        int threads = get_num_threads();
        (Tensor Output, Tensor Gradient) Run(int count) => With(true, () =>
        {
            set_num_threads(count);
            conv.weight!.grad?.zero_();
            Tensor y = pool.ForwardAfter(norm, conv, image, conv, applyReLU: true);
            y.backward(new[] { upstream });
            return (y.detach(), conv.weight!.grad!.clone());
        });
        try
        {
            var one = Run(1);
            var two = Run(2);
            var again = Run(2);
            AssertClose(one.Output, two.Output, "output, two threads");
            AssertClose(one.Gradient, two.Gradient, "kernel gradient, two threads", rtol: 1e-4);
            Assert.True(two.Output.Equals(again.Output) && two.Gradient.Equals(again.Gradient), "two threads repeat themselves");
        }
        finally { set_num_threads(threads); }
    }

    [Fact]
    public void Training_steps_leave_no_tensors_behind()
    {
        using var pool = new MaxPooling2D(2, 2);
        using Conv2d conv = Convolution(8, 7);
        using var norm = new BatchNormalization(8);
        using Tensor image = Image(4, 8, 8, 16);
        void Step() => With(true, () =>
        {
            using var step = NewDisposeScope();
            pool.ForwardAfter(norm, conv, image, conv, applyReLU: true).square().sum().backward();
            return 0;
        });
        Step();
        long before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 20; i++) Step();
        Assert.Equal(before, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        foreach (var p in conv.parameters().Concat(norm.parameters())) p.grad?.Dispose();
    }
}

using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Batch normalization (Ioffe &amp; Szegedy 2015; chapter 5.3) over the channel dimension 1 of <c>[N, C]</c>,
/// <c>[N, C, L]</c> or <c>[N, C, H, W]</c>: PyTorch's <c>BatchNorm1d/2d</c>, with the same state_dict keys
/// (<c>weight</c>, <c>bias</c>, <c>running_mean</c>, <c>running_var</c>, <c>num_batches_tracked</c>), the same
/// momentum convention (running = (1 − m)·running + m·batch, m = 0.1; Keras's 0.99 is PyTorch's 0.01) and the unbiased
/// running variance. Unlike TorchSharp's modules it refuses, as PyTorch does, a training batch with one value per channel
/// (N·L or N·H·W = 1): its variance is undefined and libtorch would write NaN into <c>running_var</c>, making every later
/// eval output NaN. The running statistics are left untouched and the error names the layer and the shape.
/// With <see cref="FeaturesLast"/>, it reads the DSL's batch-first sequences <c>[N, T, C]</c>: per feature over N·T, as
/// BatchNorm1d on the transposed <c>[N, C, T]</c> (the transposes are views).
/// </summary>
/// <remarks>
/// Written on <c>nn.functional.batch_norm</c> because TorchSharp's BatchNorm1d/2d are sealed and skip PyTorch's check.
/// Every tensor sits in a field named exactly as registered, so <c>to(dtype)</c>, <c>to(device)</c> and
/// <c>load_state_dict</c> reach what forward reads.
/// </remarks>
public sealed partial class BatchNormalization : nn.Module<Tensor, Tensor>
{
    // Fields named as registered: Module.to() replaces registered tensors (disposing the old ones) and writes the new ones
    // back only into fields of the same name; a field under another name would hold a dead handle afterwards.
#pragma warning disable IDE1006 // PyTorch's state_dict names
    private Parameter? weight;
    private Parameter? bias;
    private Tensor running_mean;
    private Tensor running_var;
    private Tensor num_batches_tracked;
#pragma warning restore IDE1006

    // One Scalar for the whole life of the layer: `add_(1)` would create a native Scalar per step and leave it to the
    // finalizer (FinalizerCollection explains why that matters).
    private readonly Scalar one = 1L.ToScalar();

    /// <summary>Creates the layer for <paramref name="features"/> channels.</summary>
    /// <param name="features">C, the size of dimension 1 of the input.</param>
    /// <param name="eps">Added to the variance before the square root (PyTorch's default 1e-5).</param>
    /// <param name="momentum">PyTorch convention, in [0, 1]: the weight of the new batch in the running statistics.</param>
    /// <param name="affine">Learn γ (ones) and β (zeros).</param>
    /// <param name="dtype">Parameter and statistics type (float32 when null).</param>
    /// <param name="device">Device (CPU when null).</param>
    /// <param name="name">The layer's name in messages (the Trainer sets its state_dict path).</param>
    /// <param name="featuresLast">Read <c>[N, T, C]</c> (a sequence, features last) instead of <c>[N, C, …]</c>.</param>
    public BatchNormalization(long features, double eps = 1e-5, double momentum = 0.1, bool affine = true, ScalarType? dtype = null, Device? device = null, string? name = null,
        bool featuresLast = false)
        : base(nameof(BatchNormalization))
    {
        FeaturesLast = featuresLast;
        if (features < 1) throw new ArgumentOutOfRangeException(nameof(features), features, "BatchNormalization needs at least one feature.");
        if (!(eps > 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "BatchNormalization: eps must be positive.");
        if (!(momentum >= 0 && momentum <= 1)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "BatchNormalization: momentum must be in [0, 1] (PyTorch's convention; Keras's 0.99 is 0.01 here).");
        Features = features;
        Eps = eps;
        Momentum = momentum;
        LayerName = name;
        if (affine)
        {
            weight = new Parameter(ones(features, dtype, device));
            bias = new Parameter(zeros(features, dtype, device));
            register_parameter(nameof(weight), weight);
            register_parameter(nameof(bias), bias);
        }
        running_mean = zeros(features, dtype, device).DetachFromDisposeScope();
        running_var = ones(features, dtype, device).DetachFromDisposeScope();
        num_batches_tracked = tensor(0L, device: device).DetachFromDisposeScope();
        register_buffer(nameof(running_mean), running_mean);
        register_buffer(nameof(running_var), running_var);
        register_buffer(nameof(num_batches_tracked), num_batches_tracked);
    }

    /// <summary>C.</summary>
    public long Features { get; }

    /// <summary>True when the input is a sequence <c>[N, T, C]</c>, normalized per feature over N·T.</summary>
    public bool FeaturesLast { get; }

    /// <summary>ε.</summary>
    public double Eps { get; }

    /// <summary>The momentum m (PyTorch's convention).</summary>
    public double Momentum { get; }

    /// <summary>The layer's name in error messages: its state_dict path once a Trainer has seen it, else null.</summary>
    public string? LayerName { get; internal set; }

    /// <summary>γ, or null without affine.</summary>
    public Parameter? Weight => weight;

    /// <summary>β, or null without affine.</summary>
    public Parameter? Bias => bias;

    /// <summary>The running mean per channel.</summary>
    public Tensor RunningMean => running_mean;

    /// <summary>The running (unbiased) variance per channel.</summary>
    public Tensor RunningVar => running_var;

    /// <summary>Training batches seen.</summary>
    public Tensor NumBatchesTracked => num_batches_tracked;

    /// <inheritdoc/>
    /// <remarks>An empty batch gives the empty output, in training too, and leaves the running statistics as they were.</remarks>
    /// <exception cref="ShapeMismatchException">The input is not [N, C, …] with this layer's C, or, in training, holds one value per channel.</exception>
    public override Tensor forward(Tensor input)
    {
        if (!FeaturesLast) return Normalize(input);
        if (input.dim() != 3 || input.shape[2] != Features)
            throw new ShapeMismatchException(Describe(), $"[N, T, {Features}]", ShapeMismatchException.Format(input.shape));
        using Tensor channelsFirst = input.transpose(1, 2);
        using Tensor normalized = Normalize(channelsFirst);
        return normalized.transpose(1, 2);
    }

    private Tensor Normalize(Tensor input)
    {
        long[] shape = input.shape;
        if (shape.Length < 2 || shape[1] != Features)
            throw new ShapeMismatchException(Describe(), $"[N, {Features}], [N, {Features}, L] or [N, {Features}, H, W]", ShapeMismatchException.Format(shape));
        if (training)
        {
            long perChannel = shape[0];
            for (int i = 2; i < shape.Length; i++) perChannel *= shape[i];
            // An empty batch has no statistics: its output is empty, and the running statistics stay as they were
            // (PyTorch's batch_norm returns the empty output for an empty input, counting no batch).
            if (perChannel == 0) return input.clone();
            if (perChannel == 1)
            {
                throw new ShapeMismatchException(Describe(), "more than 1 value per channel", ShapeMismatchException.Format(shape),
                    $"{Describe()} got {ShapeMismatchException.Format(shape)} in training: 1 value per channel, whose batch variance is undefined (PyTorch: \"Expected more than 1 value per channel when training\"). "
                    + "The running statistics were left as they were. Train with batches of at least 2 (TrainerOptions.DropLast drops a last batch of one) or call eval() to use the running statistics.");
            }
            num_batches_tracked.add_(one);
        }
        return nn.functional.batch_norm(input, running_mean, running_var, weight, bias, training, Momentum, Eps);
    }

    /// <summary>
    /// Whether <see cref="MaxPooling2D.ForwardAfter(BatchNormalization, Tensor, bool)"/> may compute this layer inside the pool's kernel for
    /// <paramref name="input"/>: an [N, C, H, W] image of this layer's C with more than one value per channel (otherwise
    /// <see cref="forward"/> runs, and refuses what it refuses), float32 statistics and parameters on the CPU.
    /// </summary>
    internal bool NormalizesInsidePool(Tensor input) => NormalizesInsidePool(input.shape);

    /// <summary><see cref="NormalizesInsidePool(Tensor)"/> for an input of this <paramref name="shape"/>.</summary>
    internal bool NormalizesInsidePool(long[] shape)
    {
        return !FeaturesLast && shape.Length == 4 && shape[1] == Features && shape[0] * shape[2] * shape[3] > 1
               && running_mean.dtype == ScalarType.Float32 && running_var.dtype == ScalarType.Float32 && running_mean.device_type == TorchSharp.DeviceType.CPU
               && (weight is null || weight.dtype == ScalarType.Float32 && bias!.dtype == ScalarType.Float32);
    }

    /// <summary>
    /// This layer in training followed by a 2×2 max pool at stride 2 (and a ReLU with <paramref name="applyReLU"/>), in
    /// one pass (<see cref="BatchNormMaxPool"/>), for an input <see cref="NormalizesInsidePool(Tensor)"/> accepts and the pool's
    /// kernel handles; the running statistics and the batch count are updated as <see cref="forward"/> updates them.
    /// </summary>
    internal Tensor NormalizeAndPool(Tensor input, bool applyReLU)
    {
        var statistics = new BatchStatistics((int)Features);
        // Without affine, γ and β go in as null (no gradient for them) and the function uses 1 and 0.
        Tensor pooled = BatchNormMaxPool.apply(input, weight!, bias!, Eps, statistics, applyReLU);
        long[] shape = input.shape;
        UpdateRunningStatistics(statistics, (double)shape[0] * shape[2] * shape[3]);
        return pooled;
    }

    /// <summary>
    /// <paramref name="convolution"/> of <paramref name="image"/>, then this layer in training, then a 2×2 max pool at
    /// stride 2 (and a ReLU with <paramref name="applyReLU"/>), in one pass (<see cref="ConvolutionBatchNormMaxPool"/>),
    /// for a convolution and image that node handles and an output <see cref="NormalizesInsidePool(Tensor)"/> would accept; the
    /// running statistics and the batch count are updated as <see cref="forward"/> updates them.
    /// </summary>
    internal Tensor ConvolveNormalizeAndPool(TorchSharp.Modules.Conv2d convolution, Tensor image, bool applyReLU)
    {
        var statistics = new BatchStatistics((int)Features);
        Tensor pooled = ConvolutionBatchNormMaxPool.apply(image, convolution.weight!, weight!, bias!, Eps, statistics, applyReLU);
        long[] shape = image.shape;
        UpdateRunningStatistics(statistics, (double)shape[0] * shape[2] * shape[3]);
        return pooled;
    }

    // PyTorch's update after a training batch of `count` values per channel: running = (1 − m)·running + m·batch, with the
    // unbiased variance (Bessel's n / (n − 1)), and one more batch tracked.
    private void UpdateRunningStatistics(BatchStatistics statistics, double count)
    {
        num_batches_tracked.add_(one);
        float[] mean = running_mean.data<float>().ToArray(), variance = running_var.data<float>().ToArray();
        for (int c = 0; c < mean.Length; c++)
        {
            mean[c] = (float)((1 - Momentum) * mean[c] + Momentum * statistics.Mean[c]);
            variance[c] = (float)((1 - Momentum) * variance[c] + Momentum * statistics.Variance[c] * count / (count - 1));
        }
        running_mean.bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(mean.AsSpan());
        running_var.bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(variance.AsSpan());
    }

    /// <summary>
    /// The eval-mode map as x·scale + shift per channel, scale = γ/√(running σ² + ε) and shift = β − running μ·scale
    /// (the pool's kernel applies it while it pools: <see cref="MaxPooling2D.ForwardAfter(BatchNormalization, Tensor, bool)"/>).
    /// </summary>
    internal TwoByTwoMaxPool.ChannelAffine EvalAffine()
    {
        var running = new BatchStatistics((int)Features);
        Array.Copy(running_mean.data<float>().ToArray(), running.Mean, Features);
        Array.Copy(running_var.data<float>().ToArray(), running.Variance, Features);
        return running.Normalization(BatchStatistics.Gamma(weight, (int)Features), BatchStatistics.Beta(bias, (int)Features), Eps).Map;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing) one.Dispose();
        base.Dispose(disposing);
    }

    private string Describe() => LayerName is null ? $"BatchNormalization({Features})" : $"BatchNormalization '{LayerName}' ({Features} channels)";

}

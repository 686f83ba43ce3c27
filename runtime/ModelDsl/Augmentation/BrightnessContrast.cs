using System;
using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// Per-sample colour jitter: contrast c ~ U(1 − Contrast, 1 + Contrast) around the sample's mean, then brightness
/// offset b ~ U(−Brightness, Brightness): x' = (x − μ)·c + μ + b. By hand because TorchSharp's ColorJitter and
/// AdjustBrightness/AdjustContrast use one factor per call, i.e. per batch.
/// </summary>
public sealed class BrightnessContrast : IAugmentation
{
    /// <summary>Jitter of up to ±<paramref name="brightness"/> (additive) and ±<paramref name="contrast"/> (relative).</summary>
    public BrightnessContrast(double brightness = 0.1, double contrast = 0.1)
    {
        if (brightness < 0 || contrast is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(brightness), $"BrightnessContrast: expected brightness ≥ 0 and contrast in [0, 1], got {brightness}, {contrast}.");
        Brightness = brightness;
        Contrast = contrast;
    }

    /// <summary>Largest additive brightness change.</summary>
    public double Brightness { get; }

    /// <summary>Largest relative contrast change.</summary>
    public double Contrast { get; }

    /// <inheritdoc/>
    public Tensor Apply(Tensor batch, Generator generator)
    {
        ImageBatch.Require(batch, nameof(BrightnessContrast));
        using var scope = NewDisposeScope();
        long b = batch.shape[0];
        Tensor c = ImageBatch.Uniform(b, 1 - Contrast, 1 + Contrast, generator, batch.device).to_type(batch.dtype).view(-1, 1, 1, 1);
        Tensor offset = ImageBatch.Uniform(b, -Brightness, Brightness, generator, batch.device).to_type(batch.dtype).view(-1, 1, 1, 1);
        Tensor mean = batch.mean(new long[] { 1, 2, 3 }, keepdim: true);
        return ((batch - mean) * c + mean + offset).MoveToOuterDisposeScope();
    }
}

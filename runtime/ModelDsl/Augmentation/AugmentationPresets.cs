namespace ModelDsl.Augmentation;

/// <summary>
/// Class-invariant transforms per domain (chapter 5.6.2): a transform may be used only if it never changes the label.
/// <list type="bullet">
/// <item><b>Digits</b>: no flips (a mirrored 2 or an upside-down 6 is another or no digit) and only small rotations
/// (a 6 rotated by 180° is a 9); small shifts, zoom/stretch and noise are safe.</item>
/// <item><b>Natural images</b>: a horizontal flip keeps a cat a cat (a vertical one does not: skies are up); crops,
/// colour jitter and cutout are safe.</item>
/// </list>
/// </summary>
public static class AugmentationPresets
{
    /// <summary>For digits [B, 1, 28, 28]: shift ±2 px, rotate ±10°, zoom ±10 %, stretch ±5 %.</summary>
    public static IAugmentation Digits() => new Compose(new RandomShift(2), new RandomAffine(maxDegrees: 10, scale: 0.1, stretch: 0.05));

    /// <summary>For natural images [B, 3, H, W] (e.g. 32×32): horizontal flip, crop with 4 px padding, brightness/contrast ±0.2, 8 px cutout.</summary>
    public static IAugmentation NaturalImages() => new Compose(
        new RandomFlip(horizontal: true),
        new RandomShift(4),
        new BrightnessContrast(brightness: 0.2, contrast: 0.2),
        new Cutout(8));
}

namespace ModelDsl;

/// <summary>
/// Batch normalization (5.3): per feature for vectors (<c>BatchNorm1d</c>), per channel for images (<c>BatchNorm2d</c>).
/// Training normalizes with the batch mean and biased variance and updates running averages with PyTorch's
/// momentum convention (running = (1 − momentum)·running + momentum·batch, unbiased variance); eval uses the running averages.
/// </summary>
public sealed class BatchNormAttribute : LayerAttribute
{
    /// <summary>Weight of the current batch in the running averages (PyTorch convention, default 0.1; Keras's 0.99 is 0.01 here).</summary>
    public double Momentum { get; set; } = 0.1;

    /// <summary>Added to the variance for numerical stability (default 1e-5).</summary>
    public double Eps { get; set; } = 1e-5;

    /// <summary>Learnable scale γ and shift β (default true).</summary>
    public bool Affine { get; set; } = true;
}

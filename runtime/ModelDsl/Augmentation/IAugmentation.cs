using static TorchSharp.torch;

namespace ModelDsl.Augmentation;

/// <summary>
/// A random transform of a batch of images [B, C, H, W] that draws independently per sample from
/// a seeded generator, so the same seed gives the same batch.
/// The trainer applies it to training batches only, never in evaluation.
/// </summary>
public interface IAugmentation
{
    /// <summary>Returns the transformed batch (a new tensor; the input is not modified).</summary>
    Tensor Apply(Tensor batch, Generator generator);
}

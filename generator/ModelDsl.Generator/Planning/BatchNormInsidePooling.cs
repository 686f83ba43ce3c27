using System.Collections.Generic;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning;

/// <summary>
/// A batch norm over images whose class-level chain's forward runs a 2×2 max pool next (right after it, or after a
/// rectifier that <see cref="ActivationsAfterPooling"/> moved behind the pool) runs inside the pool's kernel
/// (<see cref="PlannedLayer.RunsInsideNextPool"/>): the runtime then normalizes while it pools and never writes the
/// normalized image, in training (the batch norm's statistics and backward inside one autograd node) and at eval. A ReLU
/// the forward runs right after that pool (declared after it, or moved there) runs inside it too
/// (<see cref="PlannedLayer.RunsInsidePreviousPool"/>), and so does a one-channel 3×3 convolution right before the batch
/// norm (<see cref="PlannedLayer.RunsInsidePoolAfterNext"/>). Runs after <see cref="ActivationsAfterPooling"/>. Named blocks and
/// graph nodes are TorchSharp Sequentials and run their modules one by one.
/// </summary>
internal static class BatchNormInsidePooling
{
    /// <summary>Marks the batch norms of <paramref name="chain"/> that run inside the max pool the forward runs after them, and the ReLUs after that pool.</summary>
    public static void Apply(List<PlannedLayer> chain)
    {
        for (int i = 0; i + 1 < chain.Count; i++)
        {
            if (!chain[i].NormalizesImages) continue;
            bool moved = chain[i + 1].RunsAfterNext;
            int pool = moved ? i + 2 : i + 1;
            if (pool >= chain.Count || !chain[pool].PoolsBatchNormInside) continue;
            chain[i] = chain[i] with { RunsInsideNextPool = true };
            if (i > 0 && chain[i - 1].ConvolvesOneChannelThreeByThree)
                chain[i - 1] = chain[i - 1] with { RunsInsidePoolAfterNext = true };
            // The layer the forward runs after the pool: the moved rectifier, or the one declared after the pool.
            int after = moved ? i + 1 : pool + 1;
            if (after < chain.Count && chain[after].RectifiesAtZero && (moved || !chain[after].RunsAfterNext))
                chain[after] = chain[after] with { RunsInsidePreviousPool = true };
        }
    }
}

using System.Collections.Generic;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning;

/// <summary>
/// A batch norm over images whose class-level chain's forward runs a 2×2 max pool next (right after it, or after a
/// rectifier that <see cref="ActivationsAfterPooling"/> moved behind the pool) runs inside the pool's kernel
/// (<see cref="PlannedLayer.RunsInsideNextPool"/>): the runtime then normalizes while it pools and never writes the
/// normalized image, in training (the batch norm's statistics and backward inside one autograd node) and at eval. Runs
/// after <see cref="ActivationsAfterPooling"/>. Named blocks and graph nodes are TorchSharp Sequentials and run their
/// modules one by one.
/// </summary>
internal static class BatchNormInsidePooling
{
    /// <summary>Marks the batch norms of <paramref name="chain"/> that run inside the max pool the forward runs after them.</summary>
    public static void Apply(List<PlannedLayer> chain)
    {
        for (int i = 0; i + 1 < chain.Count; i++)
        {
            if (!chain[i].NormalizesImages) continue;
            int next = chain[i + 1].RunsAfterNext ? i + 2 : i + 1;
            if (next < chain.Count && chain[next].PoolsBatchNormInside) chain[i] = chain[i] with { RunsInsideNextPool = true };
        }
    }
}

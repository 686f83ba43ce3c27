using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Augmentation;

/// <summary>One (N, M) tried by <see cref="RandAugmentSearch"/> and the validation accuracy it reached.</summary>
public sealed record RandAugmentTrial(int N, int M, double ValidationAccuracy);

/// <summary>
/// The small grid search RandAugment was designed for: train once per (N, M) and keep the pair with the best
/// validation accuracy. <c>evaluate</c> trains a fresh model with the given augmentation and returns its validation
/// accuracy (the caller decides model, epochs and data; keep them small).
/// </summary>
public static class RandAugmentSearch
{
    /// <summary>Tries every pair of <paramref name="ns"/> × <paramref name="ms"/>; returns all trials, best first.</summary>
    public static IReadOnlyList<RandAugmentTrial> Run(IEnumerable<int> ns, IEnumerable<int> ms, Func<RandAugment, double> evaluate, IReadOnlyList<RandAugment.Operation>? pool = null)
    {
        var trials = new List<RandAugmentTrial>();
        foreach (int n in ns)
            foreach (int m in ms)
                trials.Add(new RandAugmentTrial(n, m, evaluate(new RandAugment(n, m, pool))));
        if (trials.Count == 0) throw new ArgumentException("RandAugmentSearch: give at least one N and one M.");
        return trials.OrderByDescending(t => t.ValidationAccuracy).ThenBy(t => t.N).ThenBy(t => t.M).ToList();
    }
}

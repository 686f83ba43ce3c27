using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Kinds;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// Detects training runs that overlap in one process when one of them draws from TorchSharp's global generator.
/// Dropout, Gaussian noise and weight noise draw from that one generator (only functions that take a Generator are
/// per model), and the Trainer reseeds it every epoch, so two overlapping runs interleave their draws: the same seed
/// gives different weights in parallel although it gives identical ones alone. Rather than let that pass silently, the
/// second run to start throws, unless its options accept non-reproducible runs. Runs whose models draw nothing (their
/// shuffling and augmentation use generators of their own) may overlap freely.
/// </summary>
internal static class ConcurrentRuns
{
    private static readonly object gate = new();
    private static readonly List<Run> active = new();

    private sealed record Run(int Thread, string Who, bool Draws);

    /// <summary>Registers a run of <paramref name="models"/> on this thread until disposed.</summary>
    public static IDisposable Enter(string who, IEnumerable<nn.Module> models, bool allowConcurrent)
    {
        var run = new Run(Environment.CurrentManagedThreadId, who, models.Any(DrawsFromGlobalGenerator));
        lock (gate)
        {
            var other = active.FirstOrDefault(r => r.Thread != run.Thread && (r.Draws || run.Draws));
            if (other is not null && !allowConcurrent)
            {
                string drawing = run.Draws ? "this model uses" : "the other run's model uses";
                throw new InvalidOperationException(
                    $"{who}: another training run ({other.Who} on thread {other.Thread}) is running in this process, and {drawing} dropout or noise, "
                    + "which draw from TorchSharp's one global generator: the runs would interleave their draws, so neither would be reproducible from its seed. "
                    + "Train one after the other, or set AllowConcurrentRuns = true in the options to accept runs that are not reproducible.");
            }
            active.Add(run);
        }
        return new Exit(run);
    }

    /// <summary>
    /// Whether a module of <paramref name="model"/> draws from the global generator in training; each kind says so
    /// itself (<see cref="LayerKinds.DrawsFromGlobalGenerator"/>). A user's own module that calls rand() is not recognized.
    /// </summary>
    public static bool DrawsFromGlobalGenerator(nn.Module model) => LayerKinds.DrawsFromGlobalGenerator(model);

    private sealed class Exit(Run run) : IDisposable
    {
        public void Dispose()
        {
            lock (gate) active.Remove(run);
        }
    }
}

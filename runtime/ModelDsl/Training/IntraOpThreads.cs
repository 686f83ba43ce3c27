using System;
using System.Globalization;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// How many threads libtorch uses inside one operation while the <see cref="Trainer"/> runs
/// (<see cref="TrainerOptions.Threads"/>), and why.
/// </summary>
/// <remarks>
/// libtorch's default is one thread per logical processor. Its OpenMP threads meet at a barrier after every operation, so
/// when another process holds one of those processors every operation waits for a descheduled thread: on a busy 2-core
/// machine a user measured 22 s per epoch with the default against 1.1 s with one thread. The default here leaves half the
/// logical processors free (one thread on 1–3 processors), which keeps the barrier from waiting on a shared core in the
/// common case of one other busy process, and matches the physical cores on machines with two hardware threads per core.
/// Results can differ in the last bits between thread counts (the order of parallel reductions), so a run is bit-identical
/// to another only with the same count: set <see cref="TrainerOptions.Threads"/> explicitly when that matters.
/// </remarks>
public static class IntraOpThreads
{
    /// <summary>The count the Trainer uses for <paramref name="requested"/> (null: the default above) and a sentence saying why.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="requested"/> is below 1.</exception>
    public static (int Threads, string Reason) Choose(int? requested)
    {
        if (requested is int n)
        {
            if (n < 1) throw new ArgumentOutOfRangeException(nameof(requested), $"Trainer: Threads must be at least 1 (or null for the default), got {n}.");
            return (n, "TrainerOptions.Threads");
        }
        if (Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is { Length: > 0 })
            return (get_num_threads(), "OMP_NUM_THREADS is set, so libtorch's count is kept");
        int processors = Environment.ProcessorCount;
        return (Math.Max(1, processors / 2), string.Create(CultureInfo.InvariantCulture,
            $"default: half of the {processors} logical processors, so a busy neighbour does not stall libtorch's thread barrier; set TrainerOptions.Threads to change"));
    }
}

using System;
using System.Diagnostics;
using System.Linq;
using ModelDsl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// <c>memory</c> sub-command: trains the card's MLP for many steps on fresh MNIST-sized random batches (128×784, one new
/// batch per step, created inside the step's dispose scope) and samples the live tensor count and the process RSS
/// every 500 steps. Goals: the live count identical at every sample (a leak of one tensor per step would add 500),
/// RSS growth below 2% from the first sample (after warm-up) to the last. Like the Trainer, it runs a gen-0 collection
/// every <see cref="FinalizerCollection.DefaultEverySteps"/> steps (<c>nocollect</c> turns that off, to show why).
/// </summary>
internal static class MemoryRun
{
    public static int Run(int steps, int every, bool handWritten, bool freshBatches, bool collect)
    {
        set_num_threads(MlpOverheadBenchmarks.Threads);
        TorchNative.EnsureLoaded();
        // Counted from before the model exists, so the live count includes its parameters, buffers and the workload's
        // tensors: a constant, which must not move.
        DisposeScopeManager.Statistics.Reset();
        using var workload = new Workload(handWritten ? Workload.Pair(seed: 7).HandWritten : new CardMlp(seed: 7));
        Console.WriteLine($"card MLP ({(handWritten ? "hand-written" : "generated")}), {steps} training steps, batch {Workload.Batch}×{Workload.Inputs} " +
                          $"({(freshBatches ? "a fresh random batch every step" : "one fixed batch")}), sampled every {every}, " +
                          (collect ? $"a gen-0 collection every {FinalizerCollection.DefaultEverySteps} steps as the Trainer does" : "no forced collection"));
        var finalizers = new FinalizerCollection(collect ? FinalizerCollection.DefaultEverySteps : 0);
        Console.WriteLine("step   live tensors  RSS MiB   loss  managed MiB  gen0 GCs  | glibc heap MiB: in use  free (kept)  mmapped");

        // Sampling allocates native memory itself the first dozen or so times it runs (the runtime compiling and
        // tiering the sampling code: about 1-2 MiB, once): run it here first, so that it is not counted as growth.
        for (int i = 0; i < 50; i++) SampleLine(0, 0);

        long? firstLive = null;
        long firstRss = 0, lastRss = 0;
        bool flat = true;
        for (int step = 1; step <= steps; step++)
        {
            float loss;
            using (var scope = NewDisposeScope())
            {
                loss = workload.TrainStep(freshBatches ? randn(Workload.Batch, Workload.Inputs) : null);
            }
            finalizers.AfterStep();
            if (step % every != 0) continue;

            var (line, live, rss) = SampleLine(step, loss);
            Console.WriteLine(line);
            if (firstLive is null) { firstLive = live; firstRss = rss; }
            flat &= live == firstLive;
            lastRss = rss;
        }
        double growth = 100.0 * (lastRss - firstRss) / firstRss;
        Console.WriteLine($"live tensor count flat: {flat}; RSS growth from step {every} to step {steps}: {growth:F2}%");
        return flat && growth < 2 ? 0 : 1;
    }

    /// <summary>One table row: live tensors, RSS, loss, managed heap, gen-0 collections and glibc's heap.</summary>
    private static (string Line, long Live, long Rss) SampleLine(int step, float loss)
    {
        long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        long rss = Rss();
        var heap = NativeHeap.Sample();
        string heapText = heap is { } h ? $"  | {h.InUse / 1048576.0,20:F1}  {h.Free / 1048576.0,11:F1}  {h.Mapped / 1048576.0,7:F1}" : "";
        return ($"{step,5}  {live,12}  {rss / 1048576.0,7:F1}  {loss,6:F3}  {GC.GetTotalMemory(false) / 1048576.0,11:F1}  {GC.CollectionCount(0),8}{heapText}", live, rss);
    }

    /// <summary>Resident set size of this process (Linux: VmRSS, via Process.WorkingSet64).</summary>
    private static long Rss()
    {
        using Process self = Process.GetCurrentProcess();
        self.Refresh();
        return self.WorkingSet64;
    }
}

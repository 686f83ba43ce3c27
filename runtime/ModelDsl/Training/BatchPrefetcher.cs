using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Threading;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// One epoch's training batches prepared on one dedicated thread, one batch ahead of the training thread
/// (<see cref="TrainerOptions.NumWorkers"/> = 1): while the training thread runs the step on batch k, the worker gathers
/// and augments batch k + 1.
/// </summary>
/// <remarks>
/// <para>
/// <b>Who frees what.</b> TorchSharp counts live tensors per thread (its dispose scopes are thread-static), so a batch made
/// on one thread and freed on another would skew both threads' counts. The worker therefore makes each batch in a dispose
/// scope of its own, keeps the batch's two tensors out of that scope, hands them over, and disposes them itself once the
/// training thread gives them back (<see cref="Lease.Dispose"/>); each thread's live-tensor count stays flat.
/// </para>
/// <para>
/// <b>Same results.</b> There is one worker and it prepares the batches in order, so the augmentation generator is drawn
/// from in the same order as on the training thread; dropout on the training thread draws from TorchSharp's global
/// generator, which the worker never touches. The worker runs with gradients off (libtorch's grad mode is per thread)
/// and with the training thread's intra-op thread count; the default dtype and device are process-wide.
/// </para>
/// <para>
/// <b>Hand-off.</b> At most one prepared batch waits (a semaphore of one slot; the worker blocks, it does not spin), so
/// at most three batches live at once: the one in the step, the next one, and one given back and not yet freed.
/// An exception on the worker is thrown on the training thread by <see cref="Take"/> at the batch that failed, as a
/// <see cref="BatchPreparationException"/> around the original. <see cref="Dispose"/> stops the worker wherever it is
/// (early stopping, an exception in the step), waits for it, and the worker frees every batch it made.
/// </para>
/// </remarks>
internal sealed class BatchPrefetcher : IDisposable
{
    private readonly int epoch;
    private readonly int batches;
    private readonly int intraOpThreads;
    private readonly Func<int, (Tensor X, Tensor Y)> prepare;
    private readonly SemaphoreSlim freeSlots = new(1, 1);
    private readonly BlockingCollection<Lease> ready = new();
    private readonly BlockingCollection<Lease> givenBack = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly Thread worker;
    private BatchPreparationException? failure;
    private int taken;    // by the training thread
    private int prepared; // by the worker
    private bool disposed;

    /// <summary>
    /// Starts the worker, which calls <paramref name="prepare"/> for batches 0 … <paramref name="batches"/> − 1 in order
    /// (inside its own dispose scope; the tensors it returns may come from anywhere).
    /// </summary>
    public BatchPrefetcher(int epoch, int batches, Func<int, (Tensor X, Tensor Y)> prepare)
    {
        this.epoch = epoch;
        this.batches = batches;
        this.prepare = prepare;
        intraOpThreads = get_num_threads();
        worker = new Thread(Work) { IsBackground = true, Name = string.Create(CultureInfo.InvariantCulture, $"ModelDsl batch prefetch (epoch {epoch})") };
        worker.Start();
    }

    /// <summary>
    /// The worker count for <see cref="TrainerOptions.NumWorkers"/> = <paramref name="requested"/> (validated by the Trainer)
    /// and a sentence saying why, or a null sentence where there is nothing worth telling (no augmentation, no option).
    /// </summary>
    public static (int Workers, string? Reason) Choose(int? requested, bool augmented, int intraOpThreads, int processors)
    {
        if (requested is int n) return (n, "TrainerOptions.NumWorkers");
        if (!augmented) return (0, null);
        return processors > intraOpThreads
            ? (1, string.Create(CultureInfo.InvariantCulture,
                $"default: an augmentation is set and {intraOpThreads} intra-op thread(s) leave {processors - intraOpThreads} of the {processors} logical processors free; set TrainerOptions.NumWorkers to change"))
            : (0, string.Create(CultureInfo.InvariantCulture,
                $"default: {intraOpThreads} intra-op thread(s) take all {processors} logical processors; set TrainerOptions.NumWorkers to change"));
    }

    /// <summary>Tensors created on the worker and not freed there, read when it ended (0 when it freed everything it made); valid after <see cref="Dispose"/>.</summary>
    public long WorkerLiveTensors { get; private set; }

    /// <summary>
    /// Waits for the next batch (0, 1, … in order) and lends it; dispose the lease after the step to give the batch back.
    /// </summary>
    /// <exception cref="BatchPreparationException">Preparing this batch threw on the worker.</exception>
    public Lease Take()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (ready.TryTake(out var lease, Timeout.Infinite))
        {
            taken++;
            freeSlots.Release();
            return lease;
        }
        throw failure ?? (Exception)new InvalidOperationException(
            string.Create(CultureInfo.InvariantCulture, $"BatchPrefetcher: batch {taken + 1} of epoch {epoch} was asked for, but the worker has ended ({batches} batches)."));
    }

    /// <summary>Stops the worker (if it is still preparing), waits for it to end, and lets it free every batch it made.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        stopping.Cancel();
        givenBack.CompleteAdding();
        worker.Join();
        stopping.Dispose();
        freeSlots.Dispose();
        ready.Dispose();
        givenBack.Dispose();
    }

    private void Work()
    {
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        try
        {
            using var noGrad = no_grad();
            if (get_num_threads() != intraOpThreads) set_num_threads(intraOpThreads);
            Produce();
        }
        catch (Exception e)
        {
            // Nothing may escape a thread of its own (it would end the process): the training thread gets it at the next Take.
            failure ??= new BatchPreparationException(epoch, prepared + 1, e);
        }
        finally
        {
            ready.CompleteAdding();
            // Free what the training thread gives back until it disposes this prefetcher, then what it never took.
            foreach (var lease in givenBack.GetConsumingEnumerable()) lease.Free();
            while (ready.TryTake(out var lease)) lease.Free();
            WorkerLiveTensors = DisposeScopeManager.Statistics.ThreadTotalLiveCount - before;
        }
    }

    private void Produce()
    {
        for (; prepared < batches; prepared++)
        {
            try
            {
                freeSlots.Wait(stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            while (givenBack.TryTake(out var done)) done.Free();
            Lease lease;
            try
            {
                lease = Prepare(prepared);
            }
            catch (Exception e)
            {
                failure = new BatchPreparationException(epoch, prepared + 1, e);
                return;
            }
            ready.Add(lease);
        }
    }

    private Lease Prepare(int batch)
    {
        using var scope = NewDisposeScope();
        var (x, y) = prepare(batch);
        return new Lease(this, Own(scope, x), Own(scope, y));
    }

    // The batch's tensors leave the scope (which frees the intermediates); one the scope does not hold (an augmentation
    // that returned a tensor of its own) is aliased, so that freeing the batch never frees someone else's tensor.
    private static Tensor Own(DisposeScope scope, Tensor tensor)
        => scope.Detach(scope.Contains(tensor) ? tensor : tensor.alias());

    private void GiveBack(Lease lease)
    {
        try
        {
            givenBack.Add(lease);
        }
        catch (InvalidOperationException)
        {
            lease.Free(); // given back after Dispose: the worker has ended, so this thread frees it
        }
    }

    /// <summary>A prepared batch lent to the training thread; <see cref="Dispose"/> gives it back to the worker, which frees it.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly BatchPrefetcher owner;
        private int givenBack;

        internal Lease(BatchPrefetcher owner, Tensor x, Tensor y)
        {
            this.owner = owner;
            X = x;
            Y = y;
        }

        /// <summary>The (augmented) inputs.</summary>
        public Tensor X { get; }

        /// <summary>The labels.</summary>
        public Tensor Y { get; }

        /// <summary>Gives the batch back (once).</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref givenBack, 1) == 0) owner.GiveBack(this);
        }

        internal void Free()
        {
            X.Dispose();
            Y.Dispose();
        }
    }
}

using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace ModelDsl;

/// <summary>
/// Tells glibc's allocator, which libtorch allocates every CPU tensor from, to keep every freed block for reuse instead of
/// returning it to the kernel. By default glibc serves a block above its mmap threshold (128 KiB, raised dynamically up to
/// 32 MiB) with a fresh <c>mmap</c> and unmaps it on free, so every activation of a batch-sized CNN, and every unfolded
/// convolution input of a training step (56 MiB for ResNet's stem at batch 8), costs a system call and a page fault per
/// 4 KiB page on every call, and times swing with the kernel's page handling. ModelDsl applies this at first use
/// (<see cref="TorchNative.EnsureLoaded"/>) on glibc systems; set <c>MODELDSL_MALLOC_TUNING=0</c> to leave glibc's defaults.
/// </summary>
/// <remarks>
/// The settings are glibc's <c>mallopt</c>: <c>M_MMAP_MAX</c> = 0 (no block gets its own mapping: all come from the heap,
/// where a freed block is found again by the next call that asks for that size) and <c>M_TRIM_THRESHOLD</c> = 1 GiB (free
/// memory at the top of the heap is returned only past it). The same as starting the process with
/// <c>GLIBC_TUNABLES=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=1073741824</c>, which only works for a process
/// started with it. glibc still maps memory where the heap cannot grow, so no allocation fails for it. The trade-off: the
/// process keeps the heap it needed at its peak (its resident set stays at the high-water mark of a training step instead of
/// falling between steps); <see cref="ReleaseFreeMemory"/> hands the free part back. Written by hand: .NET exposes no
/// allocator policy for native code, and <c>mallopt</c> is one call. Elsewhere (musl, macOS, Windows) nothing is changed.
/// </remarks>
public static class NativeAllocator
{
    private const int MTrimThreshold = -1, MMmapMax = -4;

    /// <summary>The number of blocks glibc may serve with their own mapping: 0, none.</summary>
    public const int MmapMax = 0;

    /// <summary>The trim threshold set, in bytes: 1 GiB.</summary>
    public const int TrimThreshold = 1024 * 1024 * 1024;

    private static int state; // 0 not tried, 1 tuned, 2 left alone

    /// <summary>Whether this process's glibc allocator has been tuned by <see cref="Tune"/>.</summary>
    public static bool IsTuned => Volatile.Read(ref state) == 1;

    /// <summary>
    /// Applies the settings once per process (later calls do nothing) and returns whether they are in force: false on a
    /// system without glibc, when <c>MODELDSL_MALLOC_TUNING=0</c>, or when glibc refused a value.
    /// </summary>
    public static bool Tune()
    {
        if (Volatile.Read(ref state) != 0) return IsTuned;
        bool tuned = Environment.GetEnvironmentVariable("MODELDSL_MALLOC_TUNING") != "0" && TryMallopt();
        Interlocked.CompareExchange(ref state, tuned ? 1 : 2, 0);
        return IsTuned;
    }

    private static bool TryMallopt()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            // mallopt returns 1 on success and 0 when glibc rejects the value.
            return Mallopt(MMmapMax, MmapMax) == 1 && Mallopt(MTrimThreshold, TrimThreshold) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not glibc
        }
    }

    /// <summary>
    /// Returns the heap's free memory to the kernel (glibc's <c>malloc_trim(0)</c>), for a process that is done training
    /// and wants its resident set back; the next step that needs the memory faults it in again. Returns whether any was
    /// returned; false, doing nothing, where <see cref="IsTuned"/> is false.
    /// </summary>
    public static bool ReleaseFreeMemory() => IsTuned && MallocTrim(0) == 1;

    [DllImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int Mallopt(int parameter, int value);
}

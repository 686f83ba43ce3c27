using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace ModelDsl;

/// <summary>
/// Tells glibc's allocator, which libtorch allocates every CPU tensor from, to keep freed blocks of up to 32 MiB for reuse
/// instead of returning each to the kernel. By default glibc serves a block above its mmap threshold (128 KiB, raised
/// dynamically up to 32 MiB) with a fresh <c>mmap</c> and unmaps it on free, so every activation of a batch-sized CNN
/// costs a system call and page faults on every call, and times swing with the kernel's page handling. ModelDsl applies
/// this at first use (<see cref="TorchNative.EnsureLoaded"/>) on glibc systems; set <c>MODELDSL_MALLOC_TUNING=0</c> to
/// leave glibc's defaults.
/// </summary>
/// <remarks>
/// The settings are glibc's <c>mallopt</c>: <c>M_MMAP_THRESHOLD</c> = 32 MiB (glibc's largest allowed value on 64-bit:
/// blocks up to it come from the heap) and <c>M_TRIM_THRESHOLD</c> = 1 GiB (free memory at the top of the heap is
/// returned only past it). The same as starting the process with <c>GLIBC_TUNABLES=glibc.malloc.mmap_threshold=…</c>,
/// which only works for a process started with it. The trade-off: the process keeps its peak heap mapped (resident set
/// stays at the high-water mark of a training step instead of falling between steps). Written by hand: .NET exposes no
/// allocator policy for native code, and <c>mallopt</c> is one call. Elsewhere (musl, macOS, Windows) nothing is changed.
/// </remarks>
public static class NativeAllocator
{
    private const int MTrimThreshold = -1, MMmapThreshold = -3;

    /// <summary>The mmap threshold set, in bytes: 32 MiB.</summary>
    public const int MmapThreshold = 32 * 1024 * 1024;

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
            return Mallopt(MMmapThreshold, MmapThreshold) == 1 && Mallopt(MTrimThreshold, TrimThreshold) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not glibc
        }
    }

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int Mallopt(int parameter, int value);
}

using System;
using System.Runtime.InteropServices;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// glibc's own account of the native heap (mallinfo2): bytes in use vs bytes freed but kept by the allocator. It tells a
/// native leak (in-use bytes grow) from memory the allocator holds on to (free bytes grow). Linux/glibc only; elsewhere
/// it reports nothing.
/// </summary>
internal static class NativeHeap
{
    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena, Ordblks, Smblks, Hblks, Hblkhd, Usmblks, Fsmblks, Uordblks, Fordblks, Keepcost;
    }

    [DllImport("libc.so.6", EntryPoint = "mallinfo2")]
    private static extern MallInfo2 Read();

    /// <summary>(in use, free but retained, mmapped) in bytes, or null where glibc's mallinfo2 is unavailable.</summary>
    public static (long InUse, long Free, long Mapped)? Sample()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            MallInfo2 info = Read();
            return ((long)info.Uordblks, (long)info.Fordblks, (long)info.Hblkhd);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }
}

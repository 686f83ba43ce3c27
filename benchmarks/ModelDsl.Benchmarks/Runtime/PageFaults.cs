using System;
using System.IO;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// The process's minor page faults so far (field 10 of <c>/proc/self/stat</c>): each is a 4 KiB page the kernel mapped
/// and zeroed on first touch. A steady loop that faults on every call is handing memory back to the kernel and taking it
/// again. Linux only; elsewhere null. Written by hand: .NET exposes no page-fault counter.
/// </summary>
internal static class PageFaults
{
    public static long? Minor()
    {
        if (!OperatingSystem.IsLinux()) return null;
        string stat = File.ReadAllText("/proc/self/stat");
        // The fields after the command name, which is in parentheses and may hold spaces: state is the first, minflt the 8th.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Minor page faults per call of <paramref name="call"/> over <paramref name="calls"/> calls, or null off Linux.</summary>
    public static double? PerCall(Action call, int calls)
    {
        long? before = Minor();
        for (int i = 0; i < calls; i++) call();
        return Minor() - before is long faults ? (double)faults / calls : null;
    }
}

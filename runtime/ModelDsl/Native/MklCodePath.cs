using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Threading;

namespace ModelDsl;

/// <summary>What <see cref="MklCodePath.Select"/> did in this process.</summary>
public enum MklCodePathOutcome
{
    /// <summary>Not tried yet: ModelDsl has not been used (<see cref="TorchNative.EnsureLoaded"/>).</summary>
    NotTried,

    /// <summary>Not an x86-64 Linux process, or this libtorch has no oneMKL inside it: nothing to do.</summary>
    NotApplicable,

    /// <summary>oneMKL already takes its Intel code paths on this CPU (an Intel CPU): nothing to do.</summary>
    AlreadyIntelPath,

    /// <summary>A CPU left alone by default (not an AMD CPU with AVX-512); <c>MODELDSL_MKL_INTEL_PATH=1</c> selects it anyway.</summary>
    NotSelectedForThisCpu,

    /// <summary><c>MODELDSL_MKL_INTEL_PATH=0</c> was set.</summary>
    TurnedOff,

    /// <summary>oneMKL had already chosen its code path (a matrix product ran before ModelDsl's first use), so it stays.</summary>
    TooLate,

    /// <summary>The system refused to make the page writable (a policy forbidding writable code): oneMKL's choice stands.</summary>
    Refused,

    /// <summary>oneMKL takes its Intel code paths on this CPU: the instruction-set detection it uses on Intel CPUs.</summary>
    Selected,
}

/// <summary>
/// Lets the oneMKL inside libtorch (which runs libtorch's float matrix products, and with them every convolution that
/// oneDNN does not run) choose its code path by the instruction sets this CPU reports instead of by its vendor. oneMKL
/// takes its fastest paths only on CPUs that report "GenuineIntel"; on an AMD CPU it runs a generic path, so a Zen 5 with
/// AVX-512 multiplies float matrices at 85 GFLOP/s on one core where the AVX-512 path reaches 219 GFLOP/s (2048² SGEMM,
/// libtorch 2.10's oneMKL 2024.0). oneMKL has no switch for this (<c>MKL_DEBUG_CPU_TYPE</c> was removed in 2020;
/// <c>MKL_ENABLE_INSTRUCTIONS</c> and <c>MKL_CBWR</c> change nothing on AMD): it asks one exported function,
/// <c>mkl_serv_intel_cpu_true</c>, whether the CPU is Intel, so ModelDsl makes that function answer yes. oneMKL then
/// selects among its paths by the CPU's feature bits, as on an Intel CPU, so it uses only instructions the CPU has.
/// </summary>
/// <remarks>
/// <para>Default: on for an AMD CPU with AVX-512 on x86-64 Linux, where it was measured; <c>MODELDSL_MKL_INTEL_PATH=1</c>
/// selects it on any other non-Intel x86-64 CPU with AVX2, <c>=0</c> leaves oneMKL alone. Applied by
/// <see cref="TorchNative.EnsureLoaded"/> (a generated model's constructor, the Trainer) before anything else runs a
/// matrix product: oneMKL decides once, at its first product, and keeps that path for the process, so a program that
/// multiplies matrices with TorchSharp before its first use of ModelDsl keeps the generic path (<see cref="Outcome"/> is
/// then <see cref="MklCodePathOutcome.TooLate"/>; call <see cref="TorchNative.EnsureLoaded"/> first).</para>
/// <para>The same results within float rounding (the paths add in another order), checked at start by
/// <see cref="NumericsCheck"/>'s exact matrix products; bit for bit, results differ between the paths, so runs that must
/// agree to the last bit across machines need the same setting.</para>
/// <para>Written by hand because no library or setting does it. The replacement is six bytes, <c>mov eax, 1; ret</c>,
/// written over the function's first instructions in this process's copy of <c>libtorch_cpu.so</c> (the file is not
/// touched), the same effect as the <c>LD_PRELOAD</c> shim users of oneMKL on AMD write, which only works for a process
/// started with it.</para>
/// </remarks>
public static class MklCodePath
{
    private const string LibTorch = "libtorch_cpu";
    private const int ProtRead = 1, ProtWrite = 2, ProtExec = 4;

    // mov eax, 1 ; ret — the body of a C function `int f(void) { return 1; }` in the System V x86-64 ABI.
    private static readonly byte[] ReturnOne = { 0xB8, 0x01, 0x00, 0x00, 0x00, 0xC3 };

    private static int outcome; // an MklCodePathOutcome

    /// <summary>What <see cref="Select"/> did in this process.</summary>
    public static MklCodePathOutcome Outcome => (MklCodePathOutcome)Volatile.Read(ref outcome);

    /// <summary>
    /// oneMKL's own number for the code path it chose (its internal <c>mkl_serv_get_cpu_type</c>): 0 is its generic path,
    /// 7 its AVX-512 path on the machine this was measured on; null before its first matrix product or without oneMKL.
    /// Read from oneMKL until it has chosen, then kept: oneMKL keeps its path for the process, and generated forwards ask
    /// on every call (<see cref="ChannelsLast.RunsChannelsLast"/>).
    /// </summary>
    public static int? ChosenPath
    {
        get
        {
            int path = Volatile.Read(ref chosenPath);
            if (path == NotChosenYet)
            {
                path = ReadChosenPath();
                if (path != NotChosenYet) Volatile.Write(ref chosenPath, path);
            }
            return path < 0 ? null : path;
        }
    }

    private const int NotChosenYet = -1, NoMkl = -2;
    private static int chosenPath = NotChosenYet;

    private static int ReadChosenPath()
    {
        try { return Math.Max(GetCpuType(detectAgain: 0), NotChosenYet); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return NoMkl; }
    }

    /// <summary>
    /// Applies the setting once per process (later calls return the first outcome). Never throws: every reason not to
    /// apply it is an outcome.
    /// </summary>
    public static MklCodePathOutcome Select()
    {
        if (Outcome != MklCodePathOutcome.NotTried) return Outcome;
        MklCodePathOutcome result;
        try { result = TrySelect(); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { result = MklCodePathOutcome.NotApplicable; }
        Interlocked.CompareExchange(ref outcome, (int)result, (int)MklCodePathOutcome.NotTried);
        return Outcome;
    }

    private static MklCodePathOutcome TrySelect()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64
            || !NativeLibrary.TryLoad(LibTorch, typeof(MklCodePath).Assembly, null, out IntPtr library)
            || !NativeLibrary.TryGetExport(library, "mkl_serv_intel_cpu_true", out IntPtr intelCpuTrue))
            return MklCodePathOutcome.NotApplicable;
        if (IntelCpuTrue() == 1) return MklCodePathOutcome.AlreadyIntelPath;

        string? setting = Environment.GetEnvironmentVariable("MODELDSL_MKL_INTEL_PATH");
        if (setting == "0") return MklCodePathOutcome.TurnedOff;
        bool byDefault = CpuVendor() == "AuthenticAMD" && Avx512F.IsSupported;
        if (!(byDefault || (setting == "1" && Avx2.IsSupported))) return MklCodePathOutcome.NotSelectedForThisCpu;

        // -1 until oneMKL's first product picks a path; from then on the path it keeps.
        if (GetCpuType(detectAgain: 0) >= 0) return MklCodePathOutcome.TooLate;
        if (!Overwrite(intelCpuTrue, ReturnOne)) return MklCodePathOutcome.Refused;
        return IntelCpuTrue() == 1 ? MklCodePathOutcome.Selected : MklCodePathOutcome.Refused;
    }

    private static bool Overwrite(IntPtr address, byte[] code)
    {
        long pageSize = Environment.SystemPageSize;
        long first = (long)address & ~(pageSize - 1);
        long end = ((long)address + code.Length + pageSize - 1) & ~(pageSize - 1);
        // Executable throughout, so another thread running code on these pages never faults.
        if (Mprotect((IntPtr)first, (nuint)(end - first), ProtRead | ProtWrite | ProtExec) != 0) return false;
        Marshal.Copy(code, 0, address, code.Length);
        Mprotect((IntPtr)first, (nuint)(end - first), ProtRead | ProtExec);
        return true;
    }

    /// <summary>The CPU vendor string from CPUID leaf 0 ("AuthenticAMD", "GenuineIntel"); empty off x86.</summary>
    internal static string CpuVendor()
    {
        if (!X86Base.IsSupported) return "";
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        Span<byte> vendor = stackalloc byte[12];
        BitConverter.TryWriteBytes(vendor[..4], ebx);
        BitConverter.TryWriteBytes(vendor[4..8], edx);
        BitConverter.TryWriteBytes(vendor[8..], ecx);
        return System.Text.Encoding.ASCII.GetString(vendor);
    }

    [DllImport(LibTorch, EntryPoint = "mkl_serv_intel_cpu_true")]
    private static extern int IntelCpuTrue();

    // mkl_serv_get_cpu_type(0) returns the path oneMKL cached at its first product, -1 before (measured; with 1 it
    // detects again without caching).
    [DllImport(LibTorch, EntryPoint = "mkl_serv_get_cpu_type")]
    private static extern int GetCpuType(int detectAgain);

    [DllImport("libc", EntryPoint = "mprotect", SetLastError = true)]
    private static extern int Mprotect(IntPtr address, nuint length, int protection);
}

using System;
using System.Threading;

namespace ModelDsl;

/// <summary>
/// Runs <see cref="NumericsCheck"/> once per process, when libtorch is first used through ModelDsl (a generated model's
/// constructor, the Trainer), and turns oneDNN off for the process if the check fails with it on and passes without it.
/// On a correct CPU it costs one check (about 0.1–0.3 s, mostly oneDNN compiling kernels) and changes nothing.
/// </summary>
/// <remarks>
/// A self-check rather than a list of CPU models: the faults were measured on one kind of AVX-512 machine, and whether a
/// CPU is affected depends on libtorch's build, which a list would not follow. oneDNN's own instruction-set cap
/// (<c>ONEDNN_MAX_CPU_ISA</c>) is read once, at oneDNN's first use, so it cannot be applied after a check has run; the
/// process-wide switch can. A user who prefers the cap (it fixed the recurrent fault but not the convolution one) starts
/// the process with <c>ONEDNN_MAX_CPU_ISA=AVX2</c>; the check then runs under it. Set <c>MODELDSL_NUMERICS_CHECK=0</c> to
/// skip the check. Convolution faults are intermittent, so the check can miss them: the training step guards itself
/// against non-finite gradients as well (see <see cref="Training.TrainerOptions.MaxSkippedSteps"/>).
/// </remarks>
public static class NumericsGuard
{
    private static int state; // 0 not run, 1 running, 2 done

    /// <summary>What the first check measured (before any remedy); null until it ran or when it was skipped.</summary>
    public static NumericsReport? Initial { get; private set; }

    /// <summary>What the check measured after the remedy; equal to <see cref="Initial"/> when none was needed.</summary>
    public static NumericsReport? Final { get; private set; }

    /// <summary>What was changed for this process, in words; null when nothing was.</summary>
    public static string? Remedy { get; private set; }

    /// <summary>Runs the check if it has not run in this process (thread-safe; later calls return at once).</summary>
    public static void EnsureChecked()
    {
        if (Volatile.Read(ref state) == 2 || Interlocked.CompareExchange(ref state, 1, 0) != 0) return;
        try
        {
            if (Environment.GetEnvironmentVariable("MODELDSL_NUMERICS_CHECK") == "0") return;
            Check();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The check must never keep a model from being built: say so, and leave libtorch as it is.
            Console.Error.WriteLine("ModelDsl: the numerics self-check could not run (" + e.GetType().Name + ": " + e.Message + ").");
        }
        finally
        {
            Volatile.Write(ref state, 2);
        }
    }

    // oneMKL keeps the code path it chose at its first product, so a wrong product can only be undone by a new process.
    private static string MklHint(NumericsReport report)
        => !report.MatrixProductCorrect && MklCodePath.Outcome == MklCodePathOutcome.Selected
            ? " Matrix products are wrong with oneMKL's Intel code path, which ModelDsl selected on this CPU: start the process with MODELDSL_MKL_INTEL_PATH=0."
            : "";

    private static void Check()
    {
        Initial = Final = NumericsCheck.Run(convolutionRounds: 2);
        if (Initial.Correct) return;
        if (!Initial.OneDnnEnabled || !LibTorchBackends.IsSwitchable)
        {
            Console.Error.WriteLine("ModelDsl: libtorch computes wrong results on this CPU (" + Initial + ")." + MklHint(Initial));
            return;
        }
        LibTorchBackends.OneDnnEnabled = false;
        Final = NumericsCheck.Run(convolutionRounds: 2);
        if (Final.Correct)
        {
            Remedy = "oneDNN turned off for this process: libtorch computed wrong results with it on this CPU (" + Initial + ")";
            Console.Error.WriteLine("ModelDsl: " + Remedy + ". See docs/troubleshooting.md#wrong-numbers-on-avx-512-cpus.");
        }
        else
        {
            LibTorchBackends.OneDnnEnabled = true; // oneDNN is not the cause: leave libtorch as it was
            Console.Error.WriteLine("ModelDsl: libtorch computes wrong results on this CPU with and without oneDNN (" + Initial + "; " + Final + ")."
                + MklHint(Final));
        }
    }
}

using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Training;

/// <summary>
/// Runs libtorch single-threaded in this test assembly. The tests use tiny tensors, where intra-op threads only add
/// synchronization; on a shared 2-core CI machine OpenMP's spinning workers made a 2,000-step test take 2.5 minutes
/// instead of seconds (measured 2026-11-26, load average ≈ 25). ModelDsl's native settings come first, as in a program
/// whose first libtorch call is a model's constructor: oneMKL's code path is chosen before any test multiplies matrices.
/// </summary>
internal static class TorchThreads
{
    [ModuleInitializer]
    internal static void SingleThreaded()
    {
        TorchNative.EnsureLoaded();
        set_num_threads(1);
    }
}

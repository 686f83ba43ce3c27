using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Training;

/// <summary>
/// Runs libtorch single-threaded in this test assembly. The tests use tiny tensors, where intra-op threads only add
/// synchronization; on a shared 2-core CI machine OpenMP's spinning workers made a 2,000-step test take 2.5 minutes
/// instead of seconds (measured 2026-11-26, load average ≈ 25).
/// </summary>
internal static class TorchThreads
{
    [ModuleInitializer]
    internal static void SingleThreaded() => set_num_threads(1);
}

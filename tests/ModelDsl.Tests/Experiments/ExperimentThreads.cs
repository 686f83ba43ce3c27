namespace ModelDsl.Tests.Experiments;

/// <summary>
/// The experiment twins run small models; on a shared two-core machine libtorch's intra-op thread pool makes them many
/// times slower (the batch-norm twin: 100 s with the default threads, 3 s with one). One thread changes speed only.
/// </summary>
internal static class ExperimentThreads
{
    public static void UseOne() => TorchSharp.torch.set_num_threads(1);
}

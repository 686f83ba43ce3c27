using System;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// What every fit loop does around its epochs (Trainer, GraphTrainer): names the batch norms for their error messages,
/// refuses a concurrent run that would share the global generator, chooses the intra-op threads (restored afterwards)
/// and says so, and runs the epochs inside the progress reporter.
/// </summary>
internal static class FitRun
{
    public static void Execute(string who, nn.Module model, TrainerOptions options, Action epochs)
    {
        foreach (var (name, module) in model.named_modules())
            if (module is BatchNormalization norm) norm.LayerName = name;
        using var run = ConcurrentRuns.Enter(who + ".Fit", new[] { model }, options.AllowConcurrentRuns);
        var (threads, why) = IntraOpThreads.Choose(options.Threads);
        int previousThreads = get_num_threads();
        options.Progress?.Note($"{who}: {threads} intra-op thread(s) ({why}).");
        set_num_threads(threads);
        try
        {
            if (options.Progress is null) epochs();
            else options.Progress.Run(epochs);
        }
        finally
        {
            set_num_threads(previousThreads);
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
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
        if (options.Autocast && !Autocast.IsAvailable)
            throw new PlatformNotSupportedException($"{who}: TrainerOptions.Autocast needs libtorch's autocast functions, which this platform's libtorch does not export by their Itanium-ABI names.");
        using var run = ConcurrentRuns.Enter(who + ".Fit", new[] { model }, options.AllowConcurrentRuns);
        var (threads, why) = IntraOpThreads.Choose(options.Threads);
        int previousThreads = get_num_threads();
        options.Progress?.Note($"{who}: {threads} intra-op thread(s) ({why}).");
        // A generated model with a 2-D convolution switches to channels-last where ChannelsLast decides so; say which.
        if (model is IGeneratedModel && model.modules().Any(m => m is Conv2d or ConvTranspose2d))
            options.Progress?.Note($"{who}: image activations {ChannelsLast.Explain(model)}.");
        if (options.Autocast)
            options.Progress?.Note($"{who}: training steps autocast to bfloat16 (TrainerOptions.Autocast): convolutions, linear layers and matrix products compute in bfloat16, losses in float32; parameters and validation stay float32.");
        // Reduced precision changes results, so a run under it says so wherever a convolution can be affected.
        if (LibTorchBackends.GetFloat32Precision(Float32Op.Conv) == Float32Precision.Bf16 && model.modules().Any(m => m is Convolution))
            options.Progress?.Note($"{who}: oneDNN may multiply convolutions in bfloat16 (LibTorchBackends.SetFloat32Precision or MODELDSL_CONV_PRECISION=bf16); results differ from float32 in about the third digit.");
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

    /// <summary>
    /// A check's values before validation: the means since the last check (then cleared), the steps whose gradient was
    /// non-finite since then (TrainingStep says how each is handled; absent when none, and noted to the progress
    /// reporter), and the penalty at the check (it depends on the weights only: one evaluation instead of one per step).
    /// </summary>
    public static Dictionary<string, double> CheckValues(string who, WeightedMeans sinceCheck, TrainingStep step, ref long recomputedAtCheck, ref long skippedAtCheck,
        nn.Module model, TrainerOptions options)
    {
        var values = sinceCheck.Means();
        sinceCheck.Clear();
        if (step.Recomputed > recomputedAtCheck) values["recomputed_steps"] = step.Recomputed - recomputedAtCheck;
        if (step.Skipped > skippedAtCheck) values["skipped_steps"] = step.Skipped - skippedAtCheck;
        if (step.Recomputed > recomputedAtCheck || step.Skipped > skippedAtCheck)
            options.Progress?.Note($"{who}: {step.Recomputed - recomputedAtCheck} step(s) recomputed without oneDNN and {step.Skipped - skippedAtCheck} skipped for non-finite gradients since the last check.");
        (recomputedAtCheck, skippedAtCheck) = (step.Recomputed, step.Skipped);
        if (options.AddPenalty && model is IRegularizedModel regularized)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            values["penalty"] = regularized.Penalty().ToDouble();
        }
        return values;
    }

    /// <summary>
    /// The seed of stream <paramref name="stream"/> of epoch <paramref name="epoch"/> (0 shuffles, 1 seeds the global
    /// generator for dropout, 2 draws augmentations; <paramref name="index"/> tells apart the GraphTrainer's augmented
    /// inputs, 0 being the Trainer's one stream). Each epoch's streams derive from (Seed, epoch, stream, index) alone, so
    /// shuffling, dropout and augmentation of epoch e do not depend on what ran before it: that is what makes a resumed run
    /// bit-identical.
    /// </summary>
    public static ulong StreamSeed(long seed, int epoch, int stream, int index = 0)
        => unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)epoch * 0xBF58476D1CE4E5B9UL + (ulong)stream * 0x94D049BB133111EBUL
            + (ulong)index * 0xD6E8FEB86659FD93UL) >> 1;
}

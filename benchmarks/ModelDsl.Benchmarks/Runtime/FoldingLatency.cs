using System;
using System.Diagnostics;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// <c>folding</c> sub-command: eval latency at batch 128 of the MNIST CNN (<see cref="CardCnn"/>) and the ResNetMnist
/// network (<see cref="CardResNet"/>), the model's own forward against <see cref="FoldedInference.forward"/> (batch norm
/// folded, the cache check included), one thread, in one process. The two alternate in blocks of calls (order swapped
/// every round) so both see the same machine load; the ratio folded/unfolded is the median of the per-round ratios, with
/// quartiles. The same at batch 1, where the per-call cache check (<see cref="FoldedInference"/> compares the folded
/// layers' source tensors with exact copies) costs the most relative to the forward; and the largest output difference.
/// </summary>
internal static class FoldingLatency
{
    public static int Run(int rounds, int callsPerBlock)
    {
        set_num_threads(1);
        TorchNative.EnsureLoaded();
        Measure("MNIST CNN [128, 1, 28, 28]", new CardCnn(seed: 42), rounds, callsPerBlock);
        Measure("ResNetMnist ResNet [128, 1, 28, 28]", new CardResNet(seed: 42), rounds, callsPerBlock);
        return 0;
    }

    private static void Measure<TModel>(string title, TModel model, int rounds, int callsPerBlock) where TModel : nn.Module<Tensor, Tensor>, IGeneratedModel
    {
        // Running statistics and γ, β away from their initial 0/1 (as after training), so the fold is not trivial.
        var generator = new torch.Generator(7);
        using (no_grad())
        {
            foreach (BatchNormalization norm in model.modules().OfType<BatchNormalization>())
            {
                norm.Weight!.normal_(1, 0.2, generator: generator);
                norm.Bias!.normal_(0, 0.2, generator: generator);
                norm.RunningMean.normal_(0, 0.2, generator: generator);
                norm.RunningVar.uniform_(0.5, 1.5, generator: generator);
            }
        }
        using FoldedInference folded = model.Folded(require: true);
        using var mode = model.Evaluating();
        long[] shape = new long[] { 128 }.Concat(model.InputShape).ToArray();
        using Tensor input = rand(shape, generator: new torch.Generator(1));

        double maxDiff, scale;
        using (NewDisposeScope())
        {
            Tensor plain = model.forward(input), fast = folded.forward(input);
            maxDiff = (plain - fast).abs().max().item<float>();
            scale = plain.abs().max().item<float>();
        }

        void Plain()
        {
            using var scope = NewDisposeScope();
            model.forward(input);
        }
        void Folded()
        {
            using var scope = NewDisposeScope();
            folded.forward(input);
        }

        for (int i = 0; i < callsPerBlock; i++) { Plain(); Folded(); } // warm-up
        var plainTimes = new double[rounds];
        var foldedTimes = new double[rounds];
        var ratios = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            if (r % 2 == 0) { plainTimes[r] = Time(Plain, callsPerBlock); foldedTimes[r] = Time(Folded, callsPerBlock); }
            else { foldedTimes[r] = Time(Folded, callsPerBlock); plainTimes[r] = Time(Plain, callsPerBlock); }
            ratios[r] = foldedTimes[r] / plainTimes[r];
        }
        if (!folded.LastCallFolded || folded.Rebuilds != 1) throw new InvalidOperationException($"{title}: expected folded calls and one build, got {folded.Rebuilds} ({folded.NotFoldedReason})");

        // Batch 1: where the per-call cache check (a read of every folded layer's parameters) weighs most against the
        // work folding saves.
        using Tensor one = rand(new long[] { 1 }.Concat(model.InputShape).ToArray(), generator: new torch.Generator(2));
        void PlainOne() { using var scope = NewDisposeScope(); model.forward(one); }
        void FoldedOne() { using var scope = NewDisposeScope(); folded.forward(one); }
        for (int i = 0; i < callsPerBlock; i++) { PlainOne(); FoldedOne(); }
        var oneRatios = new double[rounds];
        var plainOne = new double[rounds];
        var foldedOne = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            if (r % 2 == 0) { plainOne[r] = Time(PlainOne, callsPerBlock); foldedOne[r] = Time(FoldedOne, callsPerBlock); }
            else { foldedOne[r] = Time(FoldedOne, callsPerBlock); plainOne[r] = Time(PlainOne, callsPerBlock); }
            oneRatios[r] = foldedOne[r] / plainOne[r];
        }

        Console.WriteLine($"{title}: {folded.FoldedPairs} pairs folded; max |folded − unfolded| = {maxDiff:G3} (max |output| {scale:G3})");
        Console.WriteLine($"  batch 128: unfolded {InterleavedOverhead.Median(plainTimes) / 1000:F2} ms, folded {InterleavedOverhead.Median(foldedTimes) / 1000:F2} ms per call; " +
                          $"ratio folded/unfolded median {InterleavedOverhead.Median(ratios):F3} (quartiles {InterleavedOverhead.Quantile(ratios, 0.25):F3}–{InterleavedOverhead.Quantile(ratios, 0.75):F3})");
        Console.WriteLine($"  batch 1:   unfolded {InterleavedOverhead.Median(plainOne):F1} µs, folded {InterleavedOverhead.Median(foldedOne):F1} µs per call; " +
                          $"ratio median {InterleavedOverhead.Median(oneRatios):F3} (quartiles {InterleavedOverhead.Quantile(oneRatios, 0.25):F3}–{InterleavedOverhead.Quantile(oneRatios, 0.75):F3})");
    }

    /// <summary>Microseconds per call over a block of calls.</summary>
    private static double Time(Action call, int calls)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++) call();
        return Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls;
    }
}

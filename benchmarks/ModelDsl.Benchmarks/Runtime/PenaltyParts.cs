using System;
using System.Diagnostics;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// <c>penalty-parts</c> sub-command: where Penalty()'s cost goes, each part timed alone as the median of many calls on
/// the card MLP with two weight-decay groups: walking named_parameters (what Penalty() does to find its parameters),
/// building the penalty (forward ops only), the penalty's forward + backward, the same for the penalty
/// written directly from the formula (<see cref="DirectPenalty"/>), the Trainer's in-place AddPenaltyGradients(), and for scale the cheapest
/// differentiable function of the largest decayed weight (one sum).
/// </summary>
internal static class PenaltyParts
{
    public static int Run(int calls)
    {
        set_num_threads(MlpOverheadBenchmarks.Threads);
        TorchNative.EnsureLoaded();
        using var model = new RegularizedMlp(seed: 42);
        Report("named_parameters() walk", calls, () => model.named_parameters().Count());
        Report("Penalty() (forward only)", calls, () =>
        {
            using var scope = NewDisposeScope();
            return model.Penalty().ToSingle();
        });
        Report("Penalty() forward + backward", calls, () =>
        {
            using var scope = NewDisposeScope();
            model.zero_grad();
            Tensor p = model.Penalty();
            p.backward();
            return p.ToSingle();
        });
        Report("direct formula (square().sum(), abs().sum()) forward + backward", calls, () =>
        {
            using var scope = NewDisposeScope();
            model.zero_grad();
            Tensor p = DirectPenalty.Of(model);
            p.backward();
            return p.ToSingle();
        });
        // The Trainer's path: after a backward the gradients exist, and the penalty's gradient is added to them in place.
        using (var scope = NewDisposeScope()) model.Penalty().backward();
        Report("AddPenaltyGradients() (the Trainer's path, in place, no graph)", calls, () =>
        {
            model.AddPenaltyGradients();
            return 0;
        });
        var w = model.named_parameters().Single(p => p.name == "dense1.weight").parameter;
        void Exp(string what, Func<Tensor> f) => Report(what, calls, () =>
        {
            using var scope = NewDisposeScope();
            model.zero_grad();
            Tensor p = f();
            p.backward();
            return p.ToSingle();
        });
        // The least a penalty on the 784×256 body weight can cost: one reduction, whose backward is one broadcast.
        Exp("floor: (body weight).sum() forward + backward", () => w.sum() * 0.5);
        return 0;
    }

    private static void Report(string what, int calls, Func<float> call)
    {
        for (int i = 0; i < 20; i++) call(); // warm-up
        double[] times = Enumerable.Range(0, calls).Select(_ =>
        {
            long start = Stopwatch.GetTimestamp();
            call();
            return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }).OrderBy(t => t).ToArray();
        Console.WriteLine($"{what}: median {times[times.Length / 2] * 1000:F0} µs (quartiles {times[times.Length / 4] * 1000:F0}–{times[3 * times.Length / 4] * 1000:F0} µs) over {calls} calls");
    }
}

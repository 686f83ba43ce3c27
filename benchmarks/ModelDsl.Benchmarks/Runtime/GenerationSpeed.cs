using System;
using System.Diagnostics;
using System.Linq;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>The <see cref="CardGpt"/> architecture with a 256-token context, for the generation measurement.</summary>
[Model(Context = 256)]
[Embedding(65, 128), PositionalEncoding(Learned = true)]
[TransformerEncoder(4, 512, Layers = 2, Dropout = 0.1, Activation = Activation.GELU, Causal = true, Init = TransformerInit.Gpt2)]
public partial class CardGptLong
{
    [Dense(65, TiedToEmbedding = true, Bias = false)] public partial Sequential Head { get; }
}

/// <summary>
/// <c>generation</c> sub-command: tokens per second of <see cref="CardGptLong.Generate"/> filling its 256-token context
/// from a one-token prompt, with the key/value cache and without it (every token re-runs the window), one thread, in one
/// process. The two alternate every round (order swapped each round) so both see the same load; the ratio is the median
/// of the per-round ratios of tokens per second, with quartiles. Both runs must produce the same tokens (checked).
/// </summary>
internal static class GenerationSpeed
{
    public static int Run(int rounds, int batch)
    {
        set_num_threads(1);
        TorchNative.EnsureLoaded();
        var model = new CardGptLong(seed: 42);
        using Tensor prompt = zeros(new long[] { batch, 1 }, ScalarType.Int64);
        int newTokens = (int)model.Context - 1;

        double Time(bool cache, out Tensor tokens)
        {
            long start = Stopwatch.GetTimestamp();
            tokens = model.Generate(prompt, newTokens, temperature: 1.0, topK: 10, seed: 1, useCache: cache);
            return Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        Time(true, out Tensor warmCached).Equals(0);
        Time(false, out Tensor warmPlain).Equals(0);
        bool same = (warmCached == warmPlain).all().item<bool>();
        warmCached.Dispose();
        warmPlain.Dispose();

        var ratios = new double[rounds];
        double cachedSum = 0, plainSum = 0;
        for (int r = 0; r < rounds; r++)
        {
            double cached, plain;
            Tensor a, b;
            if (r % 2 == 0) { cached = Time(true, out a); plain = Time(false, out b); }
            else { plain = Time(false, out b); cached = Time(true, out a); }
            same &= (a == b).all().item<bool>();
            a.Dispose();
            b.Dispose();
            ratios[r] = plain / cached;
            cachedSum += cached;
            plainSum += plain;
        }
        Array.Sort(ratios);
        double perToken(double seconds) => 1000 * seconds / rounds / newTokens;
        Console.WriteLine($"GPT (2 causal blocks, width 128, context 256), batch {batch}, {newTokens} new tokens from a 1-token prompt, 1 thread, {rounds} rounds, interleaved");
        Console.WriteLine($"per token: with the cache {perToken(cachedSum):F3} ms, without {perToken(plainSum):F3} ms; tokens/s with ÷ without: median {ratios[rounds / 2]:F2} (quartiles {ratios[rounds / 4]:F2}–{ratios[3 * rounds / 4]:F2})");
        Console.WriteLine($"same tokens with and without the cache: {same}");
        return same ? 0 : 1;
    }
}

using System;
using System.IO;
using CharLm;
using ModelDsl.Training;
using static TorchSharp.torch;

// A character-level GPT declared with attributes (CharGpt.cs), trained on Jane Austen's novels (fetched once with npm),
// measured in bits per character on the held-out last 10 %, then sampled with and without the key/value cache.
// `--steps N` sets the optimizer steps of a full run (default 1500); `--quick` is the CI twin's run.
// One libtorch thread unless OMP_NUM_THREADS says otherwise, as in the Quickstart (its comment has the measurements).
if (Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is null) set_num_threads(1);

bool quick = false;
int steps = 1500;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--quick") quick = true;
    else if (args[i] == "--steps" && i + 1 < args.Length && int.TryParse(args[++i], out int n) && n >= 1) steps = n;
    else
    {
        Console.Error.WriteLine($"bad argument '{args[i]}'; usage: [--steps N (N ≥ 1)] [--quick]");
        return 2;
    }
}

using (var shown = new CharGpt(seed: 42)) Console.WriteLine(shown.Summary());
CharLmResult r = CharLmRun.Run(quick ? CharLmOptions.Quick : CharLmOptions.Full(steps));
Console.WriteLine($"validation: {r.ValidationBitsPerChar:0.000} bits/char over {r.ValidationChars:N0} characters "
    + $"(untrained {r.InitialBitsPerChar:0.000}, unigram baseline {r.UnigramBitsPerChar:0.000})");
Console.WriteLine($"training: {r.Steps} steps in {r.TrainSeconds:0} s ({r.TokensPerSecond:N0} characters/s); whole run {r.TotalSeconds:0} s; "
    + $"live tensors after the first and last step: {r.LiveTensors.AfterFirst}, {r.LiveTensors.AfterLast}");
Console.WriteLine($"sample (temperature 0.8, top-20, seed 7; the same with and without the cache: {r.CachedEqualsUncached}):");
Console.WriteLine(r.Sample);
Console.WriteLine($"per token at the full context ({r.TimedTokens} new): {r.MsPerTokenCached:0.00} ms with the cache, "
    + $"{r.MsPerTokenUncached:0.00} ms without, speed-up {r.CacheSpeedUp:0.0}×");
string artifacts = Path.Combine(Directory.GetCurrentDirectory(), "artifacts", "charlm");
Console.WriteLine($"learning curves: {r.History.SaveArtifacts(artifacts)}");
File.WriteAllText(Path.Combine(artifacts, "sample.txt"), r.Sample);
if (!r.CachedEqualsUncached)
{
    Console.Error.WriteLine("generation with the cache differs from generation without it");
    return 1;
}
return 0;

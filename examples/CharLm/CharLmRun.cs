using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using ModelDsl.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CharLm;

/// <summary>How long and on what a run trains.</summary>
/// <param name="Steps">Optimizer steps.</param>
/// <param name="BatchSize">Random windows per step.</param>
/// <param name="Window">Characters per window (≤ the context, 256), also the evaluation's window.</param>
/// <param name="CheckEvery">Steps between checks of the validation sample.</param>
/// <param name="CheckWindows">Windows of the validation split each check reads (the final measurement reads all of it).</param>
/// <param name="TrainChars">Use only the first this many characters of the training split (the quick run).</param>
/// <param name="ValidationChars">Use only the first this many characters of the validation split (the quick run).</param>
/// <param name="LearningRate">AdamW's peak rate (linear warm-up over the first 5 % of steps, cosine decay to a tenth).</param>
/// <param name="SampleTokens">Characters generated for the printed sample.</param>
/// <param name="TimedTokens">Characters generated (greedy, fastest of three runs) when timing per-token cost, after a prompt that brings the total to the context.</param>
public sealed record CharLmOptions(int Steps, int BatchSize, int Window, int CheckEvery, int CheckWindows, int? TrainChars, int? ValidationChars,
    double LearningRate, int SampleTokens, int TimedTokens)
{
    /// <summary>The full run: 16 windows of 256 characters per step over the whole corpus.</summary>
    public static CharLmOptions Full(int steps) => new(steps, 16, 256, Math.Max(1, steps / 10), 32, null, null, 2e-3, 500, 240);

    /// <summary>The CI twin's run (well under a minute): 200,000 training characters, windows of 64.</summary>
    public static CharLmOptions Quick { get; } = new(120, 16, 64, 40, 16, 200_000, 20_000, 3e-3, 120, 100);
}

/// <summary>What a run measured. Bits per character are nats / ln 2.</summary>
/// <param name="UnigramBitsPerChar">The validation text under the training split's character frequencies (add-one smoothed): the baseline.</param>
/// <param name="InitialBitsPerChar">The untrained model on the whole validation split.</param>
/// <param name="ValidationBitsPerChar">The trained model on the whole validation split (non-overlapping windows).</param>
/// <param name="ValidationChars">Characters the validation figures are over.</param>
/// <param name="TrainSeconds">Seconds of training steps (checks not counted).</param>
/// <param name="TokensPerSecond">Training characters per second of training steps.</param>
/// <param name="LiveTensors">Live tensors after the first step and after the last (equal when nothing leaks).</param>
public sealed record CharLmResult(double UnigramBitsPerChar, double InitialBitsPerChar, double ValidationBitsPerChar, long ValidationChars,
    int Steps, double TrainSeconds, double TotalSeconds, double TokensPerSecond, (long AfterFirst, long AfterLast) LiveTensors,
    string Prompt, string Sample, bool CachedEqualsUncached, int TimedTokens, double MsPerTokenCached, double MsPerTokenUncached, History History)
{
    /// <summary>Time per token without the cache ÷ with it.</summary>
    public double CacheSpeedUp => MsPerTokenUncached / MsPerTokenCached;
}

/// <summary>
/// Trains <see cref="CharGpt"/> on Austen (<see cref="AustenCorpus"/>; the first 90 % by position trains, the last 10 %
/// validates), then generates with and without the key/value cache and times both.
/// </summary>
public static class CharLmRun
{
    /// <summary>The prompt of the printed sample.</summary>
    public const string SamplePrompt = "\"I am sure,\" said Elinor, ";

    private static readonly double Ln2 = Math.Log(2);

    /// <param name="options">Steps, batch and data; <see cref="CharLmOptions.Quick"/> for the CI twin.</param>
    /// <param name="progress">Progress reporter; null picks ProgressReporters.Auto().</param>
    public static CharLmResult Run(CharLmOptions options, IProgressReporter? progress = null)
    {
        var total = Stopwatch.StartNew();
        string text = AustenCorpus.Load();
        int split = (int)(text.Length * 0.9);
        string trainText = text[..split], validationText = text[split..];
        var vocabulary = new CharVocabulary(trainText);
        if (options.TrainChars is int trainChars) trainText = trainText[..trainChars];
        if (options.ValidationChars is int validationChars) validationText = validationText[..validationChars];
        using Tensor train = vocabulary.Encode(trainText), validation = vocabulary.Encode(validationText);
        double unigram = UnigramBits(train, validation);

        using var model = new CharGpt(seed: 42);
        var generator = new Generator(42);
        double initial = BitsPerChar(model, validation, options.Window, windows: null);

        // nanoGPT's groups: decoupled weight decay 0.1 on matrices (the token table among them), none on biases and norms.
        var parameters = model.parameters().ToList();
        var optimizer = optim.AdamW(new[]
        {
            new AdamW.ParamGroup(parameters.Where(p => p.dim() >= 2), new AdamW.Options { weight_decay = 0.1, LearningRate = options.LearningRate }),
            new AdamW.ParamGroup(parameters.Where(p => p.dim() < 2), new AdamW.Options { weight_decay = 0, LearningRate = options.LearningRate }),
        }, options.LearningRate, beta1: 0.9, beta2: 0.99);

        // TorchSharp's optimizers leave native Scalars to finalizers; collecting every 10 steps frees them before they
        // fragment the native heap (the Trainer does this every 50 of its smaller steps; see FinalizerCollection).
        var finalizers = new FinalizerCollection(everySteps: 10);
        var history = new History();
        var stepClock = new Stopwatch();
        (long, long) live = (0, 0);
        int rounds = (options.Steps + options.CheckEvery - 1) / options.CheckEvery;
        progress ??= ProgressReporters.Auto();
        model.train();
        progress.Run(() =>
        {
            int step = 0;
            for (int round = 1; round <= rounds; round++)
            {
                int steps = Math.Min(options.CheckEvery, options.Steps - step);
                progress.EpochStarted(round, rounds, steps);
                double lossSum = 0;
                for (int i = 0; i < steps; i++)
                {
                    stepClock.Start();
                    lossSum += Step(model, optimizer, train, options, step++, generator);
                    stepClock.Stop();
                    finalizers.AfterStep();
                    if (step == 1) live.Item1 = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
                    progress.BatchFinished(lossSum / (i + 1));
                }
                var record = new HistoryRecord(round, step, new Dictionary<string, double>
                {
                    ["loss"] = lossSum / steps,
                    ["val_bpc"] = BitsPerChar(model, validation, options.Window, options.CheckWindows),
                });
                history.Add(record);
                progress.Checked(record);
                progress.EpochFinished(round);
            }
            live.Item2 = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        });
        double final = BitsPerChar(model, validation, options.Window, windows: null);
        long measured = (validation.shape[0] - 1) / options.Window * options.Window;

        using var prompt = vocabulary.Encode(SamplePrompt).unsqueeze(0);
        using var cached = model.Generate(prompt, options.SampleTokens, temperature: 0.8, topK: 20, seed: 7);
        using var uncached = model.Generate(prompt, options.SampleTokens, temperature: 0.8, topK: 20, seed: 7, useCache: false);
        bool same = cached.shape.SequenceEqual(uncached.shape) && (cached == uncached).all().item<bool>();
        string sample = vocabulary.Decode(cached[0].data<long>().ToArray());

        // Per-token cost at the full context: a prompt of (context − n) validation characters, n new ones, greedy.
        using var timedPrompt = validation.narrow(0, 0, model.Context - options.TimedTokens).unsqueeze(0);
        double msCached = MsPerToken(model, timedPrompt, options.TimedTokens, useCache: true);
        double msUncached = MsPerToken(model, timedPrompt, options.TimedTokens, useCache: false);

        double seconds = stepClock.Elapsed.TotalSeconds;
        return new CharLmResult(unigram, initial, final, measured, options.Steps, seconds, total.Elapsed.TotalSeconds,
            (double)options.Steps * options.BatchSize * options.Window / seconds, live, SamplePrompt, sample, same,
            options.TimedTokens, msCached, msUncached, history);
    }

    /// <summary>One AdamW step on a batch of random windows; returns the mean cross-entropy (nats per character).</summary>
    private static double Step(CharGpt model, AdamW optimizer, Tensor train, CharLmOptions options, int step, Generator generator)
    {
        using var scope = NewDisposeScope();
        double rate = LearningRate(options, step);
        foreach (var group in optimizer.ParamGroups) group.LearningRate = rate;
        Tensor index = randint(0, train.shape[0] - options.Window, new long[] { options.BatchSize, 1 }, generator: generator) + arange(options.Window);
        Tensor x = train.take(index), y = train.take(index + 1);
        Tensor loss = nn.functional.cross_entropy(model.forward(x).reshape(-1, CharVocabulary.Size), y.reshape(-1));
        optimizer.zero_grad();
        loss.backward();
        nn.utils.clip_grad_norm_(model.parameters(), 1.0);
        optimizer.step();
        return loss.item<float>();
    }

    private static double LearningRate(CharLmOptions options, int step)
    {
        int warmup = Math.Max(1, options.Steps / 20);
        if (step < warmup) return options.LearningRate * (step + 1) / warmup;
        double progress = (double)(step - warmup) / Math.Max(1, options.Steps - warmup);
        return options.LearningRate * (0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }

    /// <summary>Mean cross-entropy in bits over consecutive non-overlapping windows of <paramref name="ids"/> (all, or the first <paramref name="windows"/>), each character predicted from the earlier ones in its window.</summary>
    public static double BitsPerChar(CharGpt model, Tensor ids, int window, int? windows)
    {
        bool training = model.training;
        model.eval();
        using var noGrad = no_grad();
        long count = (ids.shape[0] - 1) / window;
        if (windows is int w) count = Math.Min(count, w);
        double nats = 0;
        for (long first = 0; first < count; first += 32)
        {
            using var scope = NewDisposeScope();
            long n = Math.Min(32, count - first);
            Tensor x = ids.narrow(0, first * window, n * window).reshape(n, window);
            Tensor y = ids.narrow(0, first * window + 1, n * window).reshape(-1);
            nats += nn.functional.cross_entropy(model.forward(x).reshape(-1, CharVocabulary.Size), y, reduction: nn.Reduction.Sum).item<float>();
        }
        model.train(training);
        return nats / (count * window) / Ln2;
    }

    /// <summary>Cross-entropy in bits of the characters of <paramref name="validation"/> after the first under the add-one-smoothed character frequencies of <paramref name="train"/>.</summary>
    public static double UnigramBits(Tensor train, Tensor validation)
    {
        using var scope = NewDisposeScope();
        Tensor counts = bincount(train, minlength: CharVocabulary.Size).to(ScalarType.Float64) + 1;
        Tensor logProbability = (counts / counts.sum()).log();
        return -logProbability.take(validation.narrow(0, 1, validation.shape[0] - 1)).mean().item<double>() / Ln2;
    }

    private static double MsPerToken(CharGpt model, Tensor prompt, int tokens, bool useCache)
    {
        using (model.Generate(prompt, 4, temperature: 0, useCache: useCache)) { }   // warm-up (first calls, allocator)
        double best = double.PositiveInfinity;
        for (int repeat = 0; repeat < 3; repeat++)   // the fastest of three: the least disturbed by other work on the machine
        {
            var clock = Stopwatch.StartNew();
            using (model.Generate(prompt, tokens, temperature: 0, useCache: useCache)) { }
            best = Math.Min(best, clock.Elapsed.TotalMilliseconds / tokens);
        }
        return best;
    }
}

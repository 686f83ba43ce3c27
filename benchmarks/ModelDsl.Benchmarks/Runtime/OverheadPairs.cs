using System;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// The pairs the runtime-overhead measurements compare, each as two workloads computing the same function from the same
/// weights: the subject (generated, or with Penalty()) and its baseline (hand-written, or without Penalty()). Shared by
/// the BenchmarkDotNet classes and the interleaved <c>overhead</c> sub-command, so both time the same thing.
/// </summary>
public static class OverheadPairs
{
    /// <summary>The CNN's batch (issue 8: batch 64), MNIST-shaped.</summary>
    public const int CnnBatch = 64;

    /// <summary>The ensemble's member count (issue 8: 8 members).</summary>
    public const int EnsembleMembers = 8;

    /// <summary>The variants, in the order the <c>overhead all</c> command runs them.</summary>
    public static readonly string[] Names = { "mlp", "cnn", "ensemble", "penalty", "penalty-gradients", "penalty-formula", "lstm", "transformer", "resnet", "inception", "densenet", "gpt" };

    /// <summary>The GPT's batch: 32 windows of its whole context (128 characters).</summary>
    public const int GptBatch = 32;

    /// <summary>The sequence models' batch (both examples train with 128).</summary>
    public const int SequenceBatch = 128;

    public static Pair Create(string name, long seed) => name switch
    {
        "mlp" => Mlp(seed),
        "cnn" => Cnn(seed),
        "ensemble" => Ensemble(seed),
        "penalty" => Penalty(seed),
        "penalty-gradients" => PenaltyGradients(seed),
        "penalty-formula" => PenaltyVsFormula(seed),
        "lstm" => Lstm(seed),
        "transformer" => Transformer(seed),
        "resnet" => ResNet(seed),
        "inception" => Inception(seed),
        "densenet" => DenseNet(seed),
        "gpt" => Gpt(seed),
        _ => throw new ArgumentException($"unknown overhead variant '{name}' (one of: {string.Join(", ", Names)}, all)", nameof(name)),
    };

    /// <summary>The card MLP (batch 128), generated vs hand-written.</summary>
    public static Pair Mlp(long seed)
    {
        (CardMlp g, HandWrittenMlp h) = Workload.Pair(seed);
        return new Pair($"card MLP, batch {Workload.Batch}", "generated", "hand-written", new Workload(g), new Workload(h));
    }

    /// <summary>examples/MnistCnn's network (batch 64), generated vs hand-written.</summary>
    public static Pair Cnn(long seed)
    {
        (CardCnn g, HandWrittenCnn h) = Workload.CopyWeights(new CardCnn(seed: seed), new HandWrittenCnn());
        long[] shape = { CnnBatch, 1, 28, 28 };
        return new Pair($"MNIST CNN, batch {CnnBatch}", "generated", "hand-written", new Workload(g, shape), new Workload(h, shape));
    }

    /// <summary>examples/ResNetMnist's network (batch 64, residual blocks with projections), generated vs hand-written BasicBlocks.</summary>
    public static Pair ResNet(long seed)
    {
        (CardResNet g, HandWrittenResNet h) = Workload.CopyWeights(new CardResNet(seed: seed), new HandWrittenResNet());
        long[] shape = { CnnBatch, 1, 28, 28 };
        return new Pair($"MNIST ResNet, batch {CnnBatch}", "generated", "hand-written", new Workload(g, shape), new Workload(h, shape));
    }

    /// <summary>examples/InceptionMnist's graph network (batch 64, a [Block] template used three times), generated vs hand-written.</summary>
    public static Pair Inception(long seed)
    {
        (InceptionMnist.InceptionNet g, HandWrittenInception h) = Workload.CopyWeights(new InceptionMnist.InceptionNet(seed: seed), new HandWrittenInception());
        long[] shape = { CnnBatch, 1, 28, 28 };
        return new Pair($"MNIST Inception, batch {CnnBatch}", "generated", "hand-written", new Workload(g, shape), new Workload(h, shape));
    }

    /// <summary>A DenseNet-style dense block (batch 64, every layer reads the concatenation of all before it), generated vs hand-written.</summary>
    public static Pair DenseNet(long seed)
    {
        (CardDenseNet g, HandWrittenDenseNet h) = Workload.CopyWeights(new CardDenseNet(seed: seed), new HandWrittenDenseNet());
        long[] shape = { CnnBatch, 1, 28, 28 };
        return new Pair($"MNIST DenseNet block, batch {CnnBatch}", "generated", "hand-written", new Workload(g, shape), new Workload(h, shape));
    }

    /// <summary>8 card MLPs, mean of logits (batch 128): the generated loop-form ensemble vs a hand-written loop.</summary>
    public static Pair Ensemble(long seed)
    {
        (EnsembleMemberEnsemble g, HandWrittenEnsemble h) = Workload.CopyWeights(new EnsembleMemberEnsemble(seed: seed), new HandWrittenEnsemble(EnsembleMembers));
        return new Pair($"{EnsembleMembers}-member card-MLP ensemble (loop form, mean), batch {Workload.Batch}", "generated", "hand-written", new Workload(g), new Workload(h));
    }

    /// <summary>The Trainer's path: backward on the data loss, then AddPenaltyGradients() in place, vs no penalty at all.</summary>
    public static Pair PenaltyGradients(long seed)
    {
        var with = new RegularizedMlp(seed: seed);
        var without = new RegularizedMlp(seed: seed);
        long[] shape = { Workload.Batch, Workload.Inputs };
        return new Pair($"card MLP with two weight-decay groups, batch {Workload.Batch}", "with AddPenaltyGradients()", "without",
            new Workload(with, shape, afterBackward: with.AddPenaltyGradients), new Workload(without, shape));
    }

    /// <summary>The card MLP with two weight-decay groups: the training step with loss + Penalty() vs the loss alone.</summary>
    public static Pair Penalty(long seed)
    {
        var with = new RegularizedMlp(seed: seed);
        var without = new RegularizedMlp(seed: seed);
        long[] shape = { Workload.Batch, Workload.Inputs };
        return new Pair($"card MLP with two weight-decay groups, batch {Workload.Batch}", "with Penalty()", "without",
            new Workload(with, shape, with.Penalty), new Workload(without, shape));
    }

    /// <summary>The same training step with loss + Penalty() vs loss + the penalty written directly from the formula (<see cref="DirectPenalty"/>).</summary>
    public static Pair PenaltyVsFormula(long seed)
    {
        var a = new RegularizedMlp(seed: seed);
        var b = new RegularizedMlp(seed: seed);
        long[] shape = { Workload.Batch, Workload.Inputs };
        return new Pair($"card MLP with two weight-decay groups, batch {Workload.Batch}", "with Penalty()", "with the direct formula",
            new Workload(a, shape, a.Penalty), new Workload(b, shape, () => DirectPenalty.Of(b)));
    }

    /// <summary>examples/SequentialMnist's LSTM (batch 128 of 28 rows × 28 pixels), generated vs hand-written.</summary>
    public static Pair Lstm(long seed)
    {
        (CardLstm g, HandWrittenLstm h) = Workload.CopyWeights(new CardLstm(seed: seed), new HandWrittenLstm(), name => name.Replace("lstm.rnn.", "rnn.", StringComparison.Ordinal));
        long[] shape = { SequenceBatch, 28, 28 };
        return new Pair($"SequentialMnist LSTM, batch {SequenceBatch}", "generated", "hand-written", new Workload(g, shape), new Workload(h, shape));
    }

    /// <summary>examples/VitMnist's Vision Transformer (batch 128 of MNIST images), generated vs hand-written.</summary>
    public static Pair Transformer(long seed)
    {
        static string Rename(string name)
        {
            foreach (string prefix in new[] { "patches.", "position.", "encoder." })
                if (name.StartsWith(prefix, StringComparison.Ordinal)) return name[prefix.Length..];
            return name;
        }
        (CardVit g, HandWrittenVit h) = Workload.CopyWeights(new CardVit(seed: seed), new HandWrittenVit(), Rename);
        long[] shape = { SequenceBatch, 1, 28, 28 };
        return new Pair($"VitMnist Transformer, batch {SequenceBatch}", "generated", "hand-written", new Workload(g, shape), new Workload(h, shape));
    }

    /// <summary>A small GPT (batch 32 × 128 characters, next-token logits at the last step), generated vs hand-written nanoGPT-style TorchSharp.</summary>
    public static Pair Gpt(long seed)
    {
        (CardGpt g, HandWrittenGpt h) = Workload.CopyWeights(new CardGpt(seed: seed), new HandWrittenGpt());
        Tensor Ids() => randint(0, 65, new long[] { GptBatch, 128 }, dtype: int64, generator: new TorchSharp.torch.Generator((ulong)seed));
        return new Pair($"small GPT (2 causal blocks, width 128, context 128), batch {GptBatch}", "generated", "hand-written",
            new Workload(new LastStepLogits(g), Ids()), new Workload(new LastStepLogits(h), Ids()));
    }

    /// <summary>Two workloads to compare; <see cref="Subject"/> / <see cref="Baseline"/> is the reported ratio.</summary>
    public sealed record Pair(string Title, string SubjectName, string BaselineName, Workload Subject, Workload Baseline) : IDisposable
    {
        public void Dispose()
        {
            Subject.Dispose();
            Baseline.Dispose();
        }
    }
}

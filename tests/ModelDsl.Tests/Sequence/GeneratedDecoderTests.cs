using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using ModelDsl.Weights;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Sequence;

/// <summary>An encoder–decoder over two token inputs: the source (read by the encoder) and the target (decoded causally over the encoder's output).</summary>
[Model]
[Input("source", 6)]
[Input("target", 5)]
public partial class TinyTranslator
{
    [From("source"), Embedding(11, 8, PaddingIndex = 0), PositionalEncoding, TransformerEncoder(2, 16, Dropout = 0)]
    public partial Sequential Encoder { get; }

    [From("target"), Embedding(13, 8, PaddingIndex = 0), PositionalEncoding, TransformerDecoder(2, 16, Memory = nameof(Encoder), Layers = 2, Dropout = 0), Dense(13)]
    public partial Sequential Decoder { get; }
}

/// <summary>Reverses token sequences: the source holds up to 6 tokens (3…12, right-padded with 0), the target is 1 (start) then the reversed tokens.</summary>
[Model]
[Input("source", 6)]
[Input("target", 7)]
public partial class Reverser
{
    [From("source"), Embedding(13, 32, PaddingIndex = 0), PositionalEncoding(Learned = true), TransformerEncoder(4, 64, Dropout = 0)]
    public partial Sequential Encoder { get; }

    [From("target"), Embedding(13, 32, PaddingIndex = 0), PositionalEncoding(Learned = true), TransformerDecoder(4, 64, Memory = nameof(Encoder), Dropout = 0), Dense(13)]
    public partial Sequential Decoder { get; }
}

/// <summary>The decoder on float inputs, the shapes of PyTorch's fixtures (target [5, 8], memory [4, 8]).</summary>
[Model]
[Input("target", 5, 8)]
[Input("memory", 4, 8)]
public partial class FixtureDecoder
{
    [From("target"), TransformerDecoder(2, 16, Memory = "memory", Layers = 2, Dropout = 0, Activation = Activation.GELU)]
    public partial Sequential Decoder { get; }
}

/// <summary>
/// [TransformerDecoder(Memory = …)] in generated graph models: the declared decoder equals PyTorch's nn.TransformerDecoder
/// with the same weights, the generated forward passes the memory and both sides' padding masks, the future never leaks,
/// and an encoder–decoder learns a sequence task end to end.
/// </summary>
public class GeneratedDecoderTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Sequence", "fixtures");

    private static Tensor Floats(string file, params long[] shape) => tensor(MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(Fixtures, file))).ToArray(), shape);

    /// <summary>
    /// PyTorch 1.13's 2-layer pre-LN GELU nn.TransformerDecoder (fixtures/make_decoder_fixtures.py) loads strictly into the
    /// declared decoder, and the generated forward gives its output within 1e-5 on the fixture's row without padding (the
    /// float inputs here carry no padding mask).
    /// </summary>
    [Fact]
    public void A_declared_decoder_equals_pytorchs_decoder_with_the_same_weights()
    {
        using var scope = NewDisposeScope();
        var model = new FixtureDecoder(seed: 1);
        ((TransformerDecoder)model.Decoder[0]).LoadWeights(Path.Combine(Fixtures, "decoder_pre_ln.pt"));
        model.eval();
        Tensor actual = model.forward(Floats("decoder_target.bin", 3, 5, 8), Floats("decoder_memory.bin", 3, 4, 8));
        Tensor expected = Floats("decoder_pre_ln.bin", 3, 5, 8);
        Assert.True(actual[0].allclose(expected[0], rtol: 0, atol: 1e-5), $"max difference {(actual[0] - expected[0]).abs().max().item<float>()}");
    }

    /// <summary>Source rows padded at the end (none, two, five steps), target rows too: what the generated forward must mask.</summary>
    private static (Tensor Source, Tensor Target) PaddedBatch()
    {
        Tensor source = randint(1, 11, new long[] { 3, 6 }, ScalarType.Int64, generator: new Generator(11));
        Tensor target = randint(1, 13, new long[] { 3, 5 }, ScalarType.Int64, generator: new Generator(12));
        source[1, TensorIndex.Slice(4)] = tensor(0L);
        source[2, TensorIndex.Slice(1)] = tensor(0L);
        target[2, TensorIndex.Slice(3)] = tensor(0L);
        return (source, target);
    }

    /// <summary>
    /// The generated forward is the encoder over the source with the source's padding mask, then the decoder over the
    /// target with the target's mask and the encoder's output as memory with the source's mask, in training and eval; and
    /// the source mask matters (without it the padded memory steps are read and the output differs).
    /// </summary>
    [Fact]
    public void The_forward_passes_the_memory_and_both_padding_masks()
    {
        using var scope = NewDisposeScope();
        var model = new TinyTranslator(seed: 2);
        (Tensor source, Tensor target) = PaddedBatch();
        Tensor sourceMask = source.eq(0), targetMask = target.eq(0);
        foreach (bool training in new[] { true, false })
        {
            model.train(training);
            Sequential encoder = model.Encoder, decoder = model.Decoder;
            Tensor memory = ((IPaddingMaskedLayer)encoder[2]).forward(encoder[1].call(encoder[0].call(source)), sourceMask);
            Tensor Decode(Tensor? memoryMask)
                => decoder[3].call(((TransformerDecoder)decoder[2]).forward(decoder[1].call(decoder[0].call(target)), memory, targetMask, memoryMask));
            Tensor y = model.forward(source, target);
            Assert.True(y.allclose(Decode(sourceMask), rtol: 0, atol: 1e-6), training ? "training" : "eval");
            Assert.False(y[1].allclose(Decode(null)[1], rtol: 0, atol: 1e-4), "the source padding mask changed nothing");
        }
    }

    /// <summary>
    /// An encoder–decoder over padded batches trains a step under bfloat16 autocast (its encoder's masked attention runs in
    /// float32, its decoder's attention in bfloat16): finite output and float32 gradients, and at eval within 2⁻⁵ of the
    /// float32 output's scale, the bound of the one-input sweep in AutocastTests.
    /// </summary>
    [Fact]
    public void An_encoder_decoder_with_padding_trains_under_autocast()
    {
        using var scope = NewDisposeScope();
        var model = new TinyTranslator(seed: 4);
        (Tensor source, Tensor target) = PaddedBatch();
        model.train();
        Tensor y;
        using (Autocast.Enable()) y = model.forward(source, target);
        Assert.True(y.isfinite().all().item<bool>());
        y.to(ScalarType.Float32).sum().backward();
        foreach (var (name, p) in model.named_parameters())
            if (p.grad is not null) Assert.True(p.grad.dtype == ScalarType.Float32 && p.grad.isfinite().all().item<bool>(), name);

        model.eval();
        using var noGrad = no_grad();
        Tensor full = model.forward(source, target), reduced;
        using (Autocast.Enable()) reduced = model.forward(source, target).to(ScalarType.Float32);
        double off = (reduced - full).abs().max().item<float>() / (full.abs().max().item<float>() + 1e-3);
        Assert.True(off <= Math.Pow(2, -5), $"eval output off by {off:g3} of its scale under autocast");
    }

    /// <summary>Changing target token t + 1 changes no output at steps ≤ t, for every t, with padding in the batch.</summary>
    [Fact]
    public void A_later_target_token_changes_no_earlier_output()
    {
        using var scope = NewDisposeScope();
        var model = new TinyTranslator(seed: 3);
        model.eval();
        (Tensor source, Tensor target) = PaddedBatch();
        Tensor before = model.forward(source, target);
        for (long t = 0; t + 1 < 5; t++)
        {
            Tensor changed = target.clone();
            changed[.., t + 1] = (changed[.., t + 1] % 12) + 1; // another non-padding token
            Tensor after = model.forward(source, changed);
            Assert.True(after.narrow(1, 0, t + 1).allclose(before.narrow(1, 0, t + 1), rtol: 0, atol: 1e-6), $"step {t + 1} leaked into steps ≤ {t}");
            Assert.False(after.narrow(1, t + 1, 1).allclose(before.narrow(1, t + 1, 1), rtol: 0, atol: 1e-6), $"step {t + 1} did not change its own output");
        }
    }

    [Fact]
    public void The_summary_counts_torchsharps_parameters_and_the_state_dict_has_pytorchs_names()
    {
        using var scope = NewDisposeScope();
        var model = new TinyTranslator(seed: 4);
        string total = TinyTranslator.SummaryText.Split('\n').Single(l => l.StartsWith("total", StringComparison.Ordinal));
        Assert.EndsWith(model.parameters().Sum(p => p.numel()).ToString("N0", System.Globalization.CultureInfo.InvariantCulture), total.TrimEnd());
        var keys = model.state_dict().Keys.ToHashSet();
        Assert.Contains("decoder.decoder.layers.1.multihead_attn.in_proj_weight", keys);
        Assert.Contains("decoder.decoder.layers.0.norm3.bias", keys);
        Assert.Contains("decoder.decoder.norm.weight", keys);
        Assert.Contains("decoder.decoder: TransformerDecoder(2 heads, 2 layers, memory Encoder)", TinyTranslator.SummaryText);
        Assert.Contains("input source: token ids (Int64)", TinyTranslator.SummaryText);
        var again = new TinyTranslator(seed: 4);
        Assert.All(model.state_dict(), entry => Assert.True(entry.Value.equal(again.state_dict()[entry.Key]).all().item<bool>(), entry.Key));
    }

    /// <summary>
    /// Gradients reach both stacks through the memory: trained with teacher forcing on reversing sequences of 2–6 tokens,
    /// the model predicts every next token of fresh sequences (a task the decoder cannot do without reading the source),
    /// at the padded steps' positions too (right padding, masked on both sides).
    /// </summary>
    [Fact]
    public void An_encoder_decoder_learns_to_reverse_sequences()
    {
        using var scope = NewDisposeScope();
        var model = new Reverser(seed: 7);
        var optimizer = optim.Adam(model.parameters(), lr: 3e-3);
        var generator = new Generator(8);
        (Tensor Source, Tensor Target, Tensor Labels) Batch(long size)
        {
            Tensor tokens = randint(3, 13, new long[] { size, 6 }, ScalarType.Int64, generator: generator);
            Tensor lengths = randint(2, 7, new long[] { size }, ScalarType.Int64, generator: generator);
            Tensor kept = arange(6).unsqueeze(0).lt(lengths.unsqueeze(1));
            Tensor source = tokens.where(kept, tensor(0L));
            // Reversed: step i holds token (length − 1 − i); the labels end with 2 (stop) and are −100 (ignored) after it.
            Tensor index = (lengths.unsqueeze(1) - 1 - arange(6).unsqueeze(0)).clamp(0, 5);
            Tensor reversed = tokens.gather(1, index).where(kept, tensor(0L));
            Tensor target = cat(new[] { ones(size, 1, ScalarType.Int64), reversed }, 1);
            Tensor labels = cat(new[] { reversed.where(kept, tensor(-100L)), full(size, 1, -100L, ScalarType.Int64) }, 1);
            labels = labels.scatter(1, lengths.unsqueeze(1), full(size, 1, 2L, ScalarType.Int64));
            return (source, target, labels);
        }
        for (int step = 0; step < 300; step++)
        {
            using var stepScope = NewDisposeScope();
            (Tensor source, Tensor target, Tensor labels) = Batch(64);
            Tensor loss = nn.functional.cross_entropy(model.forward(source, target).reshape(-1, 13), labels.reshape(-1), ignore_index: -100);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
        model.eval();
        (Tensor testSource, Tensor testTarget, Tensor testLabels) = Batch(256);
        Tensor predicted = model.forward(testSource, testTarget).argmax(-1);
        Tensor counted = testLabels.ne(-100);
        double accuracy = predicted.eq(testLabels).logical_and(counted).sum().item<long>() / (double)counted.sum().item<long>();
        Assert.True(accuracy >= 0.95, $"next-token accuracy {accuracy:P1} after 300 steps");
    }

    [Fact]
    public void A_token_input_of_the_wrong_type_or_length_is_named()
    {
        using var scope = NewDisposeScope();
        var model = new TinyTranslator(seed: 5);
        var wrong = Assert.Throws<ShapeMismatchException>(() => model.forward(randint(0, 11, new long[] { 2, 6 }), randint(0, 13, new long[] { 2, 7 })));
        Assert.Contains("target", wrong.Message);
        Assert.ThrowsAny<Exception>(() => model.forward(randn(2, 6), randint(0, 13, new long[] { 2, 5 })));
    }
}

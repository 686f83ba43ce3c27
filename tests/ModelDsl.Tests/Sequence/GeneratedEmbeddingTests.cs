using System;
using System.IO;
using System.Linq;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Sequence;

/// <summary>Token ids of 8 steps, 0 is padding: the mask reaches the encoder (keys) and the pooling (steps averaged).</summary>
[Model(8)]
[Embedding(50, 16, PaddingIndex = 0), PositionalEncoding]
[TransformerEncoder(4, 32, NormFirst = false, Dropout = 0)]
[GlobalAvgPool1d, Dense(3)]
public partial class TokenEncoder { }

/// <summary>The same declaration over 5 steps: the unpadded twin of TokenEncoder's padded sequences.</summary>
[Model(5)]
[Embedding(50, 16, PaddingIndex = 0), PositionalEncoding]
[TransformerEncoder(4, 32, NormFirst = false, Dropout = 0)]
[GlobalAvgPool1d, Dense(3)]
public partial class ShortTokenEncoder { }

/// <summary>TokenEncoder with a LayerNorm on the embedded steps (issue #23: it normalizes each step over its features).</summary>
[Model(8)]
[Embedding(50, 16, PaddingIndex = 0), PositionalEncoding, LayerNorm]
[TransformerEncoder(4, 32, NormFirst = false, Dropout = 0)]
[GlobalAvgPool1d, Dense(3)]
public partial class NormedTokenEncoder { }

/// <summary>NormedTokenEncoder over 5 steps, its unpadded twin.</summary>
[Model(5)]
[Embedding(50, 16, PaddingIndex = 0), PositionalEncoding, LayerNorm]
[TransformerEncoder(4, 32, NormFirst = false, Dropout = 0)]
[GlobalAvgPool1d, Dense(3)]
public partial class ShortNormedTokenEncoder { }

/// <summary>A stacked pre-LN encoder with dropout and a padding id that is not 0, in a named block.</summary>
[Model(6)]
[Embedding(30, 8, PaddingIndex = 29)]
public partial class BlockTokenEncoder
{
    [TransformerEncoder(2, 16, Layers = 2), GlobalAvgPool1d]
    public partial TorchSharp.Modules.Sequential Body { get; }

    [Dense(2)]
    public partial TorchSharp.Modules.Sequential Head { get; }
}

/// <summary>A small padded-token classifier for a learning task the Trainer runs end to end.</summary>
[Model(10)]
[Embedding(12, 16, PaddingIndex = 0), TransformerEncoder(2, 32, Dropout = 0)]
[GlobalAvgPool1d, Dense(2)]
public partial class KeywordSpotter { }

/// <summary>No padding id: nothing is masked; an LSTM reads every step.</summary>
[Model(6)]
[Embedding(20, 8), LSTM(12)]
[Dense(2)]
public partial class TokenLstm { }

public class GeneratedEmbeddingTests
{
    private static Tensor Tokens(long batch, long steps, long vocabulary, long seed) => randint(1, vocabulary, new[] { batch, steps }, ScalarType.Int64, generator: new Generator((ulong)seed));

    /// <summary>Sinusoids of Vaswani et al. 2017 §3.5, written out: PE[t, 2i] = sin(t/10000^(2i/D)), PE[t, 2i+1] = cos(·).</summary>
    private static Tensor Sinusoids(long steps, long d)
    {
        Tensor t = arange(steps, ScalarType.Float32).unsqueeze(1);
        Tensor rates = exp(arange(0, d, 2, ScalarType.Float32) * (-Math.Log(10000.0) / d));
        Tensor table = zeros(steps, d);
        table[TensorIndex.Colon, TensorIndex.Slice(0, null, 2)] = sin(t * rates);
        table[TensorIndex.Colon, TensorIndex.Slice(1, null, 2)] = cos(t * rates);
        return table;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Equals_hand_written_torchsharp_with_the_same_weights(bool training)
    {
        using var scope = NewDisposeScope();
        var model = new TokenEncoder(seed: 3);
        var p = model.state_dict();
        Embedding embedding = nn.Embedding(50, 16, padding_idx: 0);
        embedding.weight = new Parameter(p["embedding.weight"].clone());
        // TorchSharp's post-LN layer reads [T, B, D]; its state_dict names are the encoder layer's.
        var layer = nn.TransformerEncoderLayer(16, 4, 32, dropout: 0);
        layer.load_state_dict(p.Where(e => e.Key.StartsWith("encoder.layers.0.", StringComparison.Ordinal))
            .ToDictionary(e => e.Key["encoder.layers.0.".Length..], e => e.Value));
        Linear head = nn.Linear(16, 3);
        head.load_state_dict(new() { ["weight"] = p["dense.weight"], ["bias"] = p["dense.bias"] });
        model.train(training);
        layer.train(training);

        Tensor tokens = Tokens(4, 8, 50, seed: 1);
        tokens[1, TensorIndex.Slice(5)] = tensor(0L);  // padding at the end of two rows
        tokens[3, TensorIndex.Slice(2)] = tensor(0L);
        Tensor mask = tokens.eq(0);
        Tensor x = embedding.forward(tokens) + Sinusoids(8, 16);
        x = layer.call(x.transpose(0, 1), null!, mask).transpose(0, 1);
        Tensor keep = mask.logical_not().unsqueeze(-1).to(ScalarType.Float32);
        Tensor expected = head.forward((x * keep).sum(1) / keep.sum(1));

        Tensor actual = model.forward(tokens);
        Assert.True(actual.allclose(expected, rtol: 0, atol: 1e-6), $"max difference {(actual - expected).abs().max().item<float>()}");
    }

    [Fact]
    public void A_padded_sequence_gives_the_output_of_the_same_sequence_unpadded()
        => AssertPaddedEqualsUnpadded(new TokenEncoder(seed: 4), new ShortTokenEncoder(seed: 5));

    /// <summary>
    /// Issue #23: a LayerNorm on the steps normalizes each step over its features, so padding steps change nothing and the
    /// 8-step and 5-step models share γ and β of shape [16]. (It normalized over (T, D), with γ of shape [T, D], so the
    /// twins' weights did not even fit each other, and a padded sequence's statistics included its padding.)
    /// </summary>
    [Fact]
    public void A_padded_sequence_gives_the_output_of_the_same_sequence_unpadded_through_a_layer_norm()
        => AssertPaddedEqualsUnpadded(new NormedTokenEncoder(seed: 4), new ShortNormedTokenEncoder(seed: 5));

    /// <summary>
    /// Issue #23: an empty batch of token ids [0, T] threw from inside libtorch's attention (the LSTM already gave [0, F]);
    /// every token model now gives the empty output of its output shape, in training and eval.
    /// </summary>
    [Fact]
    public void An_empty_batch_of_token_ids_gives_the_empty_output_in_training_and_eval()
    {
        using var scope = NewDisposeScope();
        foreach ((nn.Module<Tensor, Tensor> model, long steps, long outputs) in new (nn.Module<Tensor, Tensor>, long, long)[]
        {
            (new TokenEncoder(seed: 1), 8, 3), (new NormedTokenEncoder(seed: 1), 8, 3), (new BlockTokenEncoder(seed: 1), 6, 2),
            (new KeywordSpotter(seed: 1), 10, 2), (new TokenLstm(seed: 1), 6, 2),
        })
        {
            foreach (bool training in new[] { true, false })
            {
                model.train(training);
                Tensor y = model.forward(zeros(new long[] { 0, steps }, ScalarType.Int64));
                Assert.Equal(new long[] { 0, outputs }, y.shape);
            }
        }
    }

    private static void AssertPaddedEqualsUnpadded(nn.Module<Tensor, Tensor> padded, nn.Module<Tensor, Tensor> unpadded)
    {
        using var scope = NewDisposeScope();
        // Same weights; the sinusoid tables differ in length only (T = 8 versus 5) and are fixed, so they stay as built.
        unpadded.load_state_dict(padded.state_dict().Where(e => e.Key != "position.pe").ToDictionary(e => e.Key, e => e.Value), strict: false);
        padded.eval();
        unpadded.eval();
        // Every length 1…5, each right-padded with 0 to 8 steps, against the 5-step twin padded to 5 (length 5: no padding).
        for (long length = 1; length <= 5; length++)
        {
            Tensor sequence = Tokens(3, length, 50, seed: 10 + length);
            Tensor eight = cat(new[] { sequence, zeros(new long[] { 3, 8 - length }, ScalarType.Int64) }, 1);
            Tensor five = cat(new[] { sequence, zeros(new long[] { 3, 5 - length }, ScalarType.Int64) }, 1);
            Tensor a = padded.forward(eight), b = unpadded.forward(five);
            Assert.True(a.allclose(b, rtol: 0, atol: 1e-5), $"length {length}: max difference {(a - b).abs().max().item<float>()}");
        }
    }

    [Fact]
    public void Padding_steps_change_nothing_whatever_they_hold_in_a_named_block_model()
    {
        using var scope = NewDisposeScope();
        var model = new BlockTokenEncoder(seed: 6);
        model.eval();
        Tensor tokens = Tokens(2, 6, 29, seed: 7);
        tokens[TensorIndex.Colon, TensorIndex.Slice(4)] = tensor(29L);
        Tensor before = model.forward(tokens);
        // Changing the padding row's embedding (a padded step's value) must not move any output: every reader is masked.
        using (no_grad()) model.state_dict()["embedding.weight"][29].fill_(3.0f);
        Assert.True(model.forward(tokens).allclose(before, rtol: 0, atol: 1e-6));
        // A non-padding token does move it (the test can fail).
        Tensor other = tokens.clone();
        other[0, 1] = tensor(5L);
        Assert.False(model.forward(other)[0].allclose(before[0], rtol: 0, atol: 1e-4));
    }

    [Fact]
    public void A_sequence_of_padding_only_gives_a_finite_output_and_finite_gradients_and_leaves_the_others_alone()
    {
        using var scope = NewDisposeScope();
        var model = new TokenEncoder(seed: 12);
        model.eval();
        Tensor tokens = Tokens(3, 8, 50, seed: 13);
        tokens[1, TensorIndex.Slice(6)] = tensor(0L);
        Tensor before = model.forward(tokens);
        tokens[2] = zeros(8, ScalarType.Int64); // all padding: a softmax over no keys would be NaN
        Tensor y = model.forward(tokens);
        Assert.True(y.isfinite().all().item<bool>());
        Assert.True(y[TensorIndex.Slice(0, 2)].allclose(before[TensorIndex.Slice(0, 2)], rtol: 0, atol: 1e-6), "the other rows keep their outputs");
        model.train();
        y = model.forward(tokens);
        y.sum().backward();
        Assert.All(model.parameters(), p => Assert.True(p.grad is null || p.grad.isfinite().all().item<bool>()));
    }

    [Fact]
    public void The_padding_row_starts_zero_and_stays_zero_after_optimizer_steps()
    {
        using var scope = NewDisposeScope();
        var model = new TokenEncoder(seed: 8);
        Tensor table = model.state_dict()["embedding.weight"];
        Assert.Equal(0, table[0].abs().sum().item<float>());
        Assert.True(table[1].abs().sum().item<float>() > 0);
        var optimizer = optim.Adam(model.parameters(), lr: 0.1);
        Tensor tokens = Tokens(4, 8, 50, seed: 9);
        tokens[TensorIndex.Colon, TensorIndex.Slice(6)] = tensor(0L);
        Tensor before = table.clone();
        for (int step = 0; step < 3; step++)
        {
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.forward(tokens), tensor(new long[] { 0, 1, 2, 0 })).backward();
            Assert.Equal(0, table.grad!.index(TensorIndex.Single(0)).abs().sum().item<float>());
            optimizer.step();
        }
        Assert.Equal(0, table[0].abs().sum().item<float>());
        Assert.False(table[tokens[0, 0].item<long>()].equal(before[tokens[0, 0].item<long>()]).all().item<bool>(), "a used row must train");
    }

    [Fact]
    public void Seeds_are_bit_identical_and_float64_and_checkpoints_round_trip()
    {
        using var scope = NewDisposeScope();
        var a = new TokenLstm(seed: 11);
        var b = new TokenLstm(seed: 11);
        foreach (string key in a.state_dict().Keys) Assert.True(a.state_dict()[key].equal(b.state_dict()[key]).all().item<bool>(), key);
        Assert.False(a.state_dict()["embedding.weight"].equal(new TokenLstm(seed: 12).state_dict()["embedding.weight"]).all().item<bool>());
        // N(0, 1) rows, PyTorch's init: 160 draws, so the sample std is within ±0.2 of 1 far beyond 3σ (σ ≈ 0.056).
        Assert.InRange(a.state_dict()["embedding.weight"].std().item<float>(), 0.8, 1.2);

        Tensor tokens = Tokens(3, 6, 20, seed: 13);
        a.eval();
        Tensor single = a.forward(tokens);
        string path = Path.Combine(Path.GetTempPath(), $"modeldsl-tokens-{Guid.NewGuid():N}.bin");
        try
        {
            a.save(path);
            var restored = new TokenLstm(seed: 99);
            restored.load(path);
            restored.eval();
            Assert.True(restored.forward(tokens).equal(single).all().item<bool>());
        }
        finally
        {
            File.Delete(path);
        }

        TorchSharp.ModuleExtensionMethods.to(a, ScalarType.Float64);
        Tensor wide = a.forward(tokens);
        Assert.Equal(ScalarType.Float64, wide.dtype);
        Assert.True(wide.to(ScalarType.Float32).allclose(single, rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void The_trainer_learns_a_padded_token_task_end_to_end()
    {
        using var scope = NewDisposeScope();
        // Sequences of 2–10 ids from 1–11, right-padded with 0 to 10 steps; the label is whether id 7 occurs. A model
        // that mistook padding for tokens or lost the positions of short sequences would not separate them.
        var generator = new Generator(21);
        Tensor lengths = randint(2, 11, new long[] { 768 }, ScalarType.Int64, generator: generator);
        Tensor ids = randint(1, 12, new long[] { 768, 10 }, ScalarType.Int64, generator: generator);
        ids = ids.masked_fill(arange(10).unsqueeze(0).ge(lengths.unsqueeze(1)), 0);
        Tensor labels = ids.eq(7).any(1).to(ScalarType.Int64);
        using var train = new ModelDsl.Data.LabeledData(ids[TensorIndex.Slice(0, 512)], labels[TensorIndex.Slice(0, 512)]);
        using var test = new ModelDsl.Data.LabeledData(ids[TensorIndex.Slice(512)], labels[TensorIndex.Slice(512)]);
        var model = new KeywordSpotter(seed: 22);
        var trainer = new ModelDsl.Training.Trainer(model, optim.Adam(model.parameters(), lr: 3e-3),
            new ModelDsl.Training.TrainerOptions { Epochs = 12, BatchSize = 32, Seed = 23 });
        trainer.Fit(train);
        // About two thirds of the sequences hold a 7 (1 − (10/11)^L over L = 2…10), so 0.9 is far above the base rate.
        Assert.True(trainer.Evaluate(test)["accuracy"] > 0.9, $"test accuracy {trainer.Evaluate(test)["accuracy"]:P1}");
    }

    [Fact]
    public void Float_input_is_refused_with_the_model_name_and_what_to_pass()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => new TokenLstm(seed: 1).forward(randn(2, 6)));
        Assert.Contains("TokenLstm reads Int64 token ids [B, 6]", error.Message);
        Assert.Contains("Float32", error.Message);
        Assert.Throws<ShapeMismatchException>(() => new TokenLstm(seed: 1).forward(zeros(new long[] { 2, 7 }, ScalarType.Int64)));
    }

    [Fact]
    public void Token_models_say_their_vocabulary_padding_and_masked_layers()
    {
        ITokenModel encoder = new TokenEncoder(seed: 1), block = new BlockTokenEncoder(seed: 1), lstm = new TokenLstm(seed: 1);
        Assert.Equal((50L, (long?)0L), (encoder.Vocabulary, encoder.PaddingIndex));
        Assert.Equal(new[] { "encoder", "timepool" }, encoder.PaddingMaskedLayers);
        Assert.Equal(new[] { "body.encoder", "body.timepool" }, block.PaddingMaskedLayers);
        Assert.Equal((20L, (long?)null), (lstm.Vocabulary, lstm.PaddingIndex));
        Assert.Empty(lstm.PaddingMaskedLayers);
    }
}

using System;
using System.Linq;
using ModelDsl.Weights;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Sequence;

/// <summary>
/// Causal self-attention (GPT's decoder-only block): equal to PyTorch's attention with a causal mask on the same weights,
/// no step reads a later one, and a key/value cache gives each new step what one forward over every step gives it.
/// </summary>
public class CausalAttentionTests
{
    /// <summary>
    /// nn.MultiheadAttention (libtorch's, as PyTorch's) with PyTorch's causal mask, in both norm orders and modes (no
    /// dropout, so training is deterministic). The mask is the float one of nn.Transformer.generate_square_subsequent_mask
    /// (−∞ above the diagonal, 0 elsewhere): TorchSharp 0.107's MultiheadAttention does not honour a Bool attn_mask (a
    /// later step then changes step 0's output), which is one reason the causal layer computes its attention itself.
    /// </summary>
    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public void A_causal_layer_equals_multihead_attention_with_a_causal_mask(bool normFirst, bool training)
    {
        using var scope = NewDisposeScope();
        var causal = new TransformerEncoderLayer(dimension: 8, heads: 2, feedForward: 16, dropout: 0, normFirst: normFirst, causal: true);
        var reference = new TransformerEncoderLayer(dimension: 8, heads: 2, feedForward: 16, dropout: 0, normFirst: normFirst);
        reference.load_state_dict(causal.state_dict());
        causal.train(training);
        Tensor x = randn(new long[] { 3, 6, 8 }, generator: new Generator(5));

        // The reference layer's attention through TorchSharp's MultiheadAttention with PyTorch's causal attn_mask.
        var attention = (MultiheadAttention)reference.named_children().Single(c => c.name == "self_attn").module;
        var p = reference.state_dict();
        Tensor mask = zeros(6, 6).masked_fill(ones(6, 6, ScalarType.Bool).triu(1), double.NegativeInfinity);
        Tensor Attn(Tensor t) => attention.forward(t.transpose(0, 1), t.transpose(0, 1), t.transpose(0, 1), null, false, mask).Item1.transpose(0, 1);
        Tensor Norm(Tensor t, string n) => nn.functional.layer_norm(t, new long[] { 8 }, p[n + ".weight"], p[n + ".bias"], 1e-5);
        Tensor Ffn(Tensor t) => nn.functional.relu(t.matmul(p["linear1.weight"].t()) + p["linear1.bias"]).matmul(p["linear2.weight"].t()) + p["linear2.bias"];
        Tensor expected;
        if (normFirst)
        {
            Tensor y = x + Attn(Norm(x, "norm1"));
            expected = y + Ffn(Norm(y, "norm2"));
        }
        else
        {
            Tensor y = Norm(x + Attn(x), "norm1");
            expected = Norm(y + Ffn(y), "norm2");
        }
        Tensor actual = causal.forward(x);
        Assert.True(actual.allclose(expected, rtol: 0, atol: 1e-5), $"max difference {(actual - expected).abs().max().item<float>()}");
    }

    /// <summary>
    /// PyTorch 1.13's nn.TransformerEncoder of two batch-first layers, run with generate_square_subsequent_mask
    /// (fixtures/make_causal_fixtures.py): its state_dict loads strictly and the outputs agree, pre-LN with GELU and a
    /// final norm (GPT-2's order) and post-LN with ReLU.
    /// </summary>
    [Theory]
    [InlineData("causal_pre_ln", true)]
    [InlineData("causal_post_ln", false)]
    public void A_causal_stack_equals_pytorchs_encoder_with_its_causal_mask(string name, bool normFirst)
    {
        using var scope = NewDisposeScope();
        string fixtures = System.IO.Path.Combine(AppContext.BaseDirectory, "Sequence", "fixtures");
        Tensor Floats(string file) => tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(System.IO.File.ReadAllBytes(System.IO.Path.Combine(fixtures, file))).ToArray(), new long[] { 3, 5, 8 });
        var stack = new TransformerEncoder(8, 2, 16, count: 2, dropout: 0, activation: normFirst ? Activation.GELU : Activation.ReLU, normFirst: normFirst, causal: true);
        stack.LoadWeights(System.IO.Path.Combine(fixtures, name + ".pt"));
        stack.eval();
        Tensor actual = stack.forward(Floats("causal_input.bin")), expected = Floats(name + ".bin");
        Assert.True(actual.allclose(expected, rtol: 0, atol: 1e-5), $"max difference {(actual - expected).abs().max().item<float>()}");
    }

    /// <summary>Changing step t changes no output before t, for every t (and a non-causal layer would fail this).</summary>
    [Fact]
    public void The_future_never_leaks()
    {
        using var scope = NewDisposeScope();
        var stack = new TransformerEncoder(8, 2, 16, count: 2, dropout: 0, generator: new Generator(1), causal: true);
        stack.eval();
        Tensor x = randn(new long[] { 2, 7, 8 }, generator: new Generator(6));
        Tensor before = stack.forward(x);
        for (int t = 1; t < 7; t++)
        {
            Tensor changed = x.clone();
            changed[.., t] = randn(new long[] { 2, 8 }, generator: new Generator((ulong)(100 + t)));
            Tensor after = stack.forward(changed);
            Assert.True(after.narrow(1, 0, t).allclose(before.narrow(1, 0, t), rtol: 0, atol: 1e-6), $"step {t} leaked into earlier outputs");
            Assert.False(after.narrow(1, t, 1).allclose(before.narrow(1, t, 1), rtol: 0, atol: 1e-6));
        }
    }

    /// <summary>Steps fed one at a time (and in chunks) through the cache give what one forward over all steps gives.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Steps_through_the_cache_equal_one_forward_over_all_steps(int chunk)
    {
        using var scope = NewDisposeScope();
        var stack = new TransformerEncoder(8, 4, 16, count: 3, dropout: 0.2, generator: new Generator(2), causal: true);
        stack.eval();
        Tensor x = randn(new long[] { 2, 7, 8 }, generator: new Generator(7));
        Tensor whole = stack.forward(x);
        using var cache = new KeyValueCache();
        var parts = Enumerable.Range(0, (7 + chunk - 1) / chunk).Select(i => stack.forward(x.narrow(1, i * chunk, Math.Min(chunk, 7 - i * chunk)), null, cache)).ToArray();
        Tensor stepped = cat(parts, 1);
        Assert.Equal(7, cache.Length);
        Assert.True(stepped.allclose(whole, rtol: 0, atol: 1e-5), $"max difference {(stepped - whole).abs().max().item<float>()}");
    }

    [Fact]
    public void A_padding_key_gets_no_attention_and_a_query_with_no_key_stays_finite()
    {
        using var scope = NewDisposeScope();
        var stack = new TransformerEncoder(8, 2, 16, dropout: 0, generator: new Generator(3), causal: true);
        stack.eval();
        Tensor x = randn(new long[] { 1, 5, 8 }, generator: new Generator(8));
        // Step 0 is padding: step 0 has no key left (it attends to itself), later steps ignore it.
        Tensor mask = tensor(new[] { true, false, false, false, false }).reshape(1, 5);
        Tensor y = stack.forward(x, mask);
        Assert.True(y.isfinite().all().item<bool>());
        Tensor changed = x.clone();
        changed[.., 0] = randn(new long[] { 1, 8 }, generator: new Generator(9));
        Assert.True(stack.forward(changed, mask).narrow(1, 1, 4).allclose(y.narrow(1, 1, 4), rtol: 0, atol: 1e-6));
    }

    /// <summary>GPT-2's init: weights N(0, 0.02²), the residual projections N(0, (0.02/√(2L))²), biases 0 (sample std within 5 %).</summary>
    [Fact]
    public void Gpt2_init_draws_the_stds_of_gpt2()
    {
        using var scope = NewDisposeScope();
        var stack = new TransformerEncoder(64, 4, 256, count: 3, generator: new Generator(11), causal: true, init: TransformerInit.Gpt2);
        var p = stack.named_parameters().ToDictionary(e => e.name, e => e.parameter);
        double residual = 0.02 / Math.Sqrt(6);
        foreach ((string name, double std) in new[] { ("in_proj_weight", 0.02), ("out_proj.weight", residual) }.Select(e => ("self_attn." + e.Item1, e.Item2))
            .Concat(new[] { ("linear1.weight", 0.02), ("linear2.weight", residual) }))
        {
            for (int layer = 0; layer < 3; layer++)
            {
                Tensor w = p[$"layers.{layer}.{name}"];
                Assert.InRange(w.std().item<float>(), 0.95 * std, 1.05 * std);
                Assert.InRange(w.mean().item<float>(), -0.1 * std, 0.1 * std);
            }
        }
        Assert.All(p.Where(e => e.Key.EndsWith("bias") && e.Key.Contains("self_attn") || e.Key.Contains("linear") && e.Key.EndsWith("bias")), e => Assert.Equal(0, e.Value.abs().max().item<float>()));
    }

    [Fact]
    public void A_cache_is_refused_by_a_layer_that_is_not_causal()
    {
        using var scope = NewDisposeScope();
        var stack = new TransformerEncoder(8, 2, 16, generator: new Generator(3));
        using var cache = new KeyValueCache();
        var error = Assert.Throws<InvalidOperationException>(() => stack.forward(zeros(1, 2, 8), null, cache));
        Assert.Contains("causal", error.Message);
    }
}

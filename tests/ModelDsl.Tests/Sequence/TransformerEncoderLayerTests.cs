using System;
using System.Linq;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Sequence;

public class TransformerEncoderLayerTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Post_ln_equals_torchsharps_sequence_first_layer_with_the_same_weights(bool training)
    {
        using var scope = NewDisposeScope();
        var layer = new TransformerEncoderLayer(dimension: 8, heads: 2, feedForward: 16, dropout: 0, normFirst: false);
        var reference = nn.TransformerEncoderLayer(8, 2, 16, dropout: 0);
        reference.load_state_dict(layer.state_dict());
        layer.train(training);
        reference.train(training);
        Tensor x = randn(new long[] { 3, 5, 8 }, generator: new Generator(1));

        Tensor expected = reference.forward(x.transpose(0, 1)).transpose(0, 1);
        Assert.True(layer.forward(x).allclose(expected, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Pre_ln_equals_the_equations_computed_by_hand()
    {
        using var scope = NewDisposeScope();
        var layer = new TransformerEncoderLayer(dimension: 8, heads: 2, feedForward: 12, dropout: 0.3, activation: Activation.GELU, normFirst: true);
        layer.eval();
        Tensor x = randn(new long[] { 2, 4, 8 }, generator: new Generator(2));
        var p = layer.state_dict();

        // x + Attn(LN1(x)), then + FFN(LN2(·)); attention per head h: softmax(q_h k_hᵀ/√(D/H)) v_h, heads concatenated, out_proj.
        Tensor LayerNorm(Tensor t, string name) => nn.functional.layer_norm(t, new long[] { 8 }, p[name + ".weight"], p[name + ".bias"], 1e-5);
        Tensor Attention(Tensor t)
        {
            Tensor[] qkv = t.matmul(p["self_attn.in_proj_weight"].t()).add(p["self_attn.in_proj_bias"]).chunk(3, -1);
            Tensor Heads(Tensor u) => u.reshape(2, 4, 2, 4).transpose(1, 2);                 // [B, H, T, D/H]
            Tensor scores = Heads(qkv[0]).matmul(Heads(qkv[1]).transpose(-2, -1)) / Math.Sqrt(4);
            Tensor mixed = scores.softmax(-1).matmul(Heads(qkv[2])).transpose(1, 2).reshape(2, 4, 8);
            return mixed.matmul(p["self_attn.out_proj.weight"].t()).add(p["self_attn.out_proj.bias"]);
        }
        Tensor y = x + Attention(LayerNorm(x, "norm1"));
        Tensor hidden = nn.functional.gelu(LayerNorm(y, "norm2").matmul(p["linear1.weight"].t()).add(p["linear1.bias"]));
        Tensor expected = y + hidden.matmul(p["linear2.weight"].t()).add(p["linear2.bias"]);

        Assert.True(layer.forward(x).allclose(expected, rtol: 0, atol: 1e-5), $"max difference {(layer.forward(x) - expected).abs().max().item<float>()}");
    }

    [Fact]
    public void A_padded_sequence_encodes_like_the_same_sequence_unpadded()
    {
        using var scope = NewDisposeScope();
        var layer = new TransformerEncoderLayer(dimension: 8, heads: 4, feedForward: 16, normFirst: true);
        layer.eval();
        Tensor sequence = randn(new long[] { 1, 3, 8 }, generator: new Generator(3));
        Tensor padded = cat(new[] { sequence, randn(new long[] { 1, 2, 8 }, generator: new Generator(4)) }, 1);
        Tensor mask = tensor(new[] { false, false, false, true, true }).reshape(1, 5);

        Tensor alone = layer.forward(sequence);
        Tensor withPadding = layer.forward(padded, mask).narrow(1, 0, 3);
        Assert.True(withPadding.allclose(alone, rtol: 0, atol: 1e-6), $"max difference {(withPadding - alone).abs().max().item<float>()}");
        // Without the mask the padding steps leak into the real ones.
        Assert.False(layer.forward(padded).narrow(1, 0, 3).allclose(alone, rtol: 0, atol: 1e-3));
    }

    [Fact]
    public void Heads_must_divide_the_width_and_state_dict_keys_are_pytorchs()
    {
        var error = Assert.Throws<ArgumentException>(() => new TransformerEncoderLayer(10, 3, 16));
        Assert.Contains("3 heads must divide the width 10", error.Message);
        var keys = new TransformerEncoderLayer(8, 2, 16).state_dict().Keys.OrderBy(k => k, StringComparer.Ordinal);
        Assert.Equal(new[]
        {
            "linear1.bias", "linear1.weight", "linear2.bias", "linear2.weight", "norm1.bias", "norm1.weight", "norm2.bias", "norm2.weight",
            "self_attn.in_proj_bias", "self_attn.in_proj_weight", "self_attn.out_proj.bias", "self_attn.out_proj.weight",
        }, keys);
    }
}

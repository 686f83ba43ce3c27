using System;
using System.Linq;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Sequence;

public class RecurrentTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Lstm_last_step_equals_a_hand_computed_recurrence(bool training)
    {
        // One layer, dropout 0: training and eval compute the same function, which the gate equations below give
        // (PyTorch's LSTM: i, f, g, o = σ, σ, tanh, σ of W_ih·x + b_ih + W_hh·h + b_hh; c = f⊙c + i⊙g; h = o⊙tanh(c)).
        using var scope = NewDisposeScope();
        var layer = new Recurrent(RecurrentKind.LSTM, inputSize: 3, hiddenSize: 4, returnSequences: false);
        layer.InitializeStandard(generator: new Generator(1));
        layer.train(training);
        Tensor x = randn(new long[] { 2, 5, 3 }, generator: new Generator(2));

        Tensor wih = layer.Parameter("weight_ih_l0"), whh = layer.Parameter("weight_hh_l0");
        Tensor bias = layer.Parameter("bias_ih_l0") + layer.Parameter("bias_hh_l0");
        Tensor h = zeros(2, 4), c = zeros(2, 4);
        for (int t = 0; t < 5; t++)
        {
            Tensor gates = x.select(1, t).matmul(wih.t()) + h.matmul(whh.t()) + bias;
            Tensor[] g = gates.chunk(4, 1);
            c = g[1].sigmoid() * c + g[0].sigmoid() * g[2].tanh();
            h = g[3].sigmoid() * c.tanh();
        }
        Tensor actual = layer.forward(x);
        Assert.Equal(new long[] { 2, 4 }, actual.shape);
        Assert.True(actual.allclose(h, rtol: 0, atol: 1e-6), $"max difference {(actual - h).abs().max().item<float>()}");
    }

    [Theory]
    [InlineData(RecurrentKind.LSTM)]
    [InlineData(RecurrentKind.GRU)]
    public void Bidirectional_stacked_layer_equals_torchsharps_module_with_the_same_weights(RecurrentKind kind)
    {
        using var scope = NewDisposeScope();
        var sequences = new Recurrent(kind, 3, 5, layers: 2, bidirectional: true, returnSequences: true);
        var last = new Recurrent(kind, 3, 5, layers: 2, bidirectional: true, returnSequences: false);
        sequences.InitializeStandard(generator: new Generator(3));
        last.load_state_dict(sequences.state_dict());
        nn.Module reference = kind == RecurrentKind.LSTM
            ? nn.LSTM(3, 5, 2, batchFirst: true, bidirectional: true)
            : nn.GRU(3, 5, 2, batchFirst: true, bidirectional: true);
        reference.load_state_dict(sequences.state_dict().ToDictionary(p => p.Key.Substring("rnn.".Length), p => p.Value));

        Tensor x = randn(new long[] { 4, 6, 3 }, generator: new Generator(4));
        (Tensor output, Tensor hn) = reference is LSTM lstm ? Drop3(lstm.forward(x, null)) : ((GRU)reference).forward(x, null);

        Assert.True(sequences.forward(x).allclose(output, rtol: 0, atol: 1e-6));
        // The last step: the top layer's forward state after step T and backward state after step 1, concatenated;
        // the same as the forward half of output[:, T−1] and the backward half of output[:, 0].
        Tensor expected = cat(new[] { hn[2], hn[3] }, 1);
        Tensor actual = last.forward(x);
        Assert.Equal(new long[] { 4, 10 }, actual.shape);
        Assert.True(actual.allclose(expected, rtol: 0, atol: 1e-6));
        Assert.True(actual.narrow(1, 0, 5).allclose(output.select(1, 5).narrow(1, 0, 5), rtol: 0, atol: 1e-6));
        Assert.True(actual.narrow(1, 5, 5).allclose(output.select(1, 0).narrow(1, 5, 5), rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Standard_init_makes_each_recurrent_gate_block_orthogonal_and_the_forget_bias_one()
    {
        using var scope = NewDisposeScope();
        var layer = new Recurrent(RecurrentKind.LSTM, inputSize: 40, hiddenSize: 16, layers: 2, bidirectional: true);
        layer.InitializeStandard(generator: new Generator(5));
        foreach (string suffix in new[] { "l0", "l0_reverse", "l1", "l1_reverse" })
        {
            Tensor whh = layer.Parameter("weight_hh_" + suffix);
            for (int gate = 0; gate < 4; gate++)
            {
                Tensor block = whh.narrow(0, gate * 16, 16);
                Assert.True(block.matmul(block.t()).allclose(eye(16), rtol: 0, atol: 1e-5), $"{suffix} gate {gate}: W·Wᵀ ≠ I");
            }
            // Glorot uniform over [4H, F]: every weight within ±√(6/(F + 4H)), and the spread of a uniform.
            Tensor wih = layer.Parameter("weight_ih_" + suffix);
            double bound = Math.Sqrt(6.0 / (wih.shape[1] + 64));
            Assert.True(wih.abs().max().item<float>() <= bound);
            Assert.InRange(wih.std().item<float>(), 0.9 * bound / Math.Sqrt(3), 1.1 * bound / Math.Sqrt(3));
            Tensor bih = layer.Parameter("bias_ih_" + suffix), bhh = layer.Parameter("bias_hh_" + suffix);
            Assert.True(bih.narrow(0, 16, 16).eq(1).all().item<bool>(), "forget-gate bias (gate order i, f, g, o) must be 1");
            Assert.Equal(0f, bih.narrow(0, 0, 16).abs().sum().item<float>() + bih.narrow(0, 32, 32).abs().sum().item<float>());
            Assert.Equal(0f, bhh.abs().sum().item<float>());
        }
    }

    [Fact]
    public void Gru_standard_init_has_zero_biases_and_a_forget_bias_of_zero_leaves_the_lstm_biases_zero()
    {
        using var scope = NewDisposeScope();
        var gru = new Recurrent(RecurrentKind.GRU, 4, 8);
        gru.InitializeStandard(generator: new Generator(6));
        Assert.Equal(0f, gru.Parameter("bias_ih_l0").abs().sum().item<float>());
        var lstm = new Recurrent(RecurrentKind.LSTM, 4, 8);
        lstm.InitializeStandard(forgetBias: 0, generator: new Generator(6));
        Assert.Equal(0f, lstm.Parameter("bias_ih_l0").abs().sum().item<float>());
    }

    [Fact]
    public void Wrong_input_shape_names_the_layer_and_both_shapes()
    {
        var layer = new Recurrent(RecurrentKind.GRU, 3, 4);
        var error = Assert.Throws<ShapeMismatchException>(() => layer.forward(zeros(2, 3)));
        Assert.Equal("[B, T, 3]", error.Expected);
        Assert.Equal("[2, 3]", error.Actual);
    }

    private static (Tensor, Tensor) Drop3((Tensor Output, Tensor H, Tensor C) result) => (result.Output, result.H);
}

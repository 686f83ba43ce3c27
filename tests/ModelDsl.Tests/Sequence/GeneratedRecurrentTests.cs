using System.Linq;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Sequence;

[Model(7, 3)]
[LSTM(6, Layers = 2, Bidirectional = true, ReturnSequences = true), LayerNorm]
[GRU(5)]
[Dense(2)]
public partial class GeneratedSequenceNet { }

public class GeneratedRecurrentTests
{
    [Fact]
    public void The_summary_counts_torchsharps_own_parameters_and_the_shapes_run()
    {
        using var scope = NewDisposeScope();
        var model = new GeneratedSequenceNet(seed: 1);
        long actual = model.parameters().Sum(p => p.numel());
        Assert.Contains($"total  {actual:N0}".Replace("total  ", ""), GeneratedSequenceNet.SummaryText);
        Assert.Equal(new long[] { 4, 2 }, model.forward(randn(4, 7, 3)).shape);
    }

    [Fact]
    public void The_same_seed_gives_the_same_weights_and_the_lstm_starts_with_forget_bias_one()
    {
        using var scope = NewDisposeScope();
        var a = new GeneratedSequenceNet(seed: 3);
        var b = new GeneratedSequenceNet(seed: 3);
        Assert.All(a.state_dict().Keys, key => Assert.True(a.state_dict()[key].equal(b.state_dict()[key]).all().item<bool>(), key));
        Tensor forget = a.state_dict()["lstm.rnn.bias_ih_l1_reverse"].narrow(0, 6, 6);
        Assert.True(forget.eq(1).all().item<bool>());
    }
}

using System.Linq;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Sequence;

[Model(1, 12, 12)]
[PatchEmbedding(4, 16), PositionalEncoding(Learned = true)]
[TransformerEncoder(2, 32, Layers = 2, Dropout = 0.1)]
[GlobalAvgPool1d, Dense(3)]
public partial class TinyVit { }

[Model(6, 8)]
[PositionalEncoding, TransformerEncoder(4, 16, NormFirst = false, Activation = Activation.GELU)]
[GlobalAvgPool1d, Dense(2)]
public partial class PostLnEncoder { }

public class GeneratedTransformerTests
{
    [Fact]
    public void Summary_counts_equal_torchsharps_parameters_and_shapes_run()
    {
        using var scope = NewDisposeScope();
        AssertTotal(new TinyVit(seed: 1), TinyVit.SummaryText);
        AssertTotal(new PostLnEncoder(seed: 1), PostLnEncoder.SummaryText);
        Assert.Equal(new long[] { 5, 3 }, new TinyVit(seed: 2).forward(randn(5, 1, 12, 12)).shape);
        Assert.Equal(new long[] { 5, 2 }, new PostLnEncoder(seed: 2).forward(randn(5, 6, 8)).shape);
    }

    /// <summary>The summary's total row (computed at compile time by the rules) equals TorchSharp's own count.</summary>
    private static void AssertTotal(nn.Module model, string summary)
    {
        string total = summary.Split('\n').Single(l => l.StartsWith("total", System.StringComparison.Ordinal));
        Assert.EndsWith(model.parameters().Sum(p => p.numel()).ToString("N0", System.Globalization.CultureInfo.InvariantCulture), total.TrimEnd());
    }

    [Fact]
    public void The_same_seed_gives_bit_identical_weights_and_eval_is_deterministic()
    {
        using var scope = NewDisposeScope();
        var a = new TinyVit(seed: 5);
        var b = new TinyVit(seed: 5);
        var other = new TinyVit(seed: 6);
        foreach (string key in a.state_dict().Keys)
        {
            Assert.True(a.state_dict()[key].equal(b.state_dict()[key]).all().item<bool>(), key);
        }
        Assert.False(a.state_dict()["encoder.layers.0.self_attn.in_proj_weight"].equal(other.state_dict()["encoder.layers.0.self_attn.in_proj_weight"]).all().item<bool>());
        Tensor x = randn(3, 1, 12, 12);
        using (a.Evaluating()) Assert.True(a.forward(x).equal(a.forward(x)).all().item<bool>(), "eval must not drop anything");
    }
}

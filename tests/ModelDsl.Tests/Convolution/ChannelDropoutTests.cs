using ModelDsl.Tests.Models;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Convolution;

/// <summary>Dropout2d drops whole channels (feature maps), scales kept ones by 1/keep, and is the identity in eval.</summary>
public class ChannelDropoutTests
{
    [Fact]
    public void Training_zeroes_whole_channels_and_scales_the_rest_by_one_over_keep()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var model = new ChannelDropout(seed: 1);
        model.train();
        Tensor y = model.forward(ones(32, 16, 5, 5));
        // Each channel is constant: all 0 or all 1/keep = 2.
        Tensor perChannelMin = y.amin(new long[] { 2, 3 }), perChannelMax = y.amax(new long[] { 2, 3 });
        Assert.True(perChannelMin.allclose(perChannelMax, rtol: 0, atol: 0));
        Assert.True((perChannelMax.eq(0) | perChannelMax.eq(2)).all().item<bool>());
        // 512 channels kept with p = 0.5: the kept fraction has standard error √(0.25/512) ≈ 0.022; 4 SE ≈ 0.09.
        double kept = perChannelMax.eq(2).to_type(ScalarType.Float32).mean().item<float>();
        Assert.InRange(kept, 0.5 - 0.09, 0.5 + 0.09);
    }

    [Fact]
    public void Eval_is_the_identity()
    {
        using var scope = NewDisposeScope();
        var model = new ChannelDropout(seed: 1);
        model.eval();
        Tensor x = randn(2, 16, 5, 5);
        Assert.True(model.forward(x).allclose(x, rtol: 0, atol: 0));
    }
}

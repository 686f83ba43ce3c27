using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Graph;

/// <summary>A [Block] template used twice with different sizes, against hand-written TorchSharp on its state_dict.</summary>
public class TemplateModelTests
{
    private static Tensor Conv(Tensor x, Dictionary<string, Tensor> p, string key, long padding)
        => nn.functional.conv2d(x, p[key + ".weight"], p[key + ".bias"], padding: new[] { padding, padding });

    private static Tensor HandFire(Tensor x, Dictionary<string, Tensor> p, string use)
    {
        Tensor squeeze = nn.functional.relu(Conv(x, p, use + ".squeezeConv.conv", 0));
        return cat(new[] { nn.functional.relu(Conv(squeeze, p, use + ".expand1.conv", 0)), nn.functional.relu(Conv(squeeze, p, use + ".expand3.conv", 1)) }, 1);
    }

    [Fact]
    public void Two_uses_of_a_template_have_their_own_sizes_names_and_the_hand_written_output()
    {
        using var scope = NewDisposeScope();
        using var model = new MiniSqueezeNet(seed: 1);
        var p = model.state_dict().ToDictionary(e => e.Key, e => e.Value.detach().clone());
        Assert.Equal(new long[] { 2, 8, 1, 1 }, p["fire2.squeezeConv.conv.weight"].shape);
        Assert.Equal(new long[] { 4, 2, 3, 3 }, p["fire2.expand3.conv.weight"].shape);
        Assert.Equal(new long[] { 3, 8, 1, 1 }, p["fire3.squeezeConv.conv.weight"].shape);
        Assert.Equal(new long[] { 6, 3, 3, 3 }, p["fire3.expand3.conv.weight"].shape);
        Assert.Equal(new long[] { 5, 12 }, p["head.dense.weight"].shape);
        Assert.Contains("fire3.expand1.conv: Conv2d(6, 1)", model.Summary());

        Tensor x = randn(new long[] { 3, 3, 8, 8 }, generator: new Generator(2));
        Tensor stem = nn.functional.relu(Conv(x, p, "stem.conv", 1));
        Tensor fire3 = HandFire(HandFire(stem, p, "fire2"), p, "fire3");
        Tensor expected = nn.functional.linear(nn.functional.adaptive_avg_pool2d(fire3, new long[] { 1, 1 }).flatten(1), p["head.dense.weight"], p["head.dense.bias"]);
        Tensor actual = model.forward(x);
        Assert.True((expected - actual).abs().max().item<float>() <= 1e-6);
        Assert.IsType<Fire>(model.Fire2);
    }

    [Fact]
    public void The_same_seed_gives_bit_identical_template_uses()
    {
        using var scope = NewDisposeScope();
        using var a = new MiniSqueezeNet(seed: 9);
        using var b = new MiniSqueezeNet(seed: 9);
        foreach ((string key, Tensor t) in a.state_dict()) Assert.True((t == b.state_dict()[key]).all().item<bool>(), key);
    }
}

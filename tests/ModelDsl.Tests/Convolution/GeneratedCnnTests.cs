using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using ModelDsl.Tests.Models;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Convolution;

/// <summary>Generated CNNs on real tensors: the compile-time summary's shapes and counts are what TorchSharp computes.</summary>
public class GeneratedCnnTests
{
    private static readonly Regex row = new(@"^(\w+): .*?\s\[B, ([\d, ]+)\]\s+([\d,]*)", RegexOptions.Multiline);

    public static TheoryData<string> Models => new() { nameof(SmallCnn), nameof(SameCnn), nameof(HeConv) };

    private static nn.Module<Tensor, Tensor> Create(string name) => name switch
    {
        nameof(SmallCnn) => new SmallCnn(seed: 3),
        nameof(SameCnn) => new SameCnn(seed: 3),
        _ => new HeConv(seed: 3),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Every_layer_output_has_the_shape_and_parameter_count_the_summary_promised(string name)
    {
        using var scope = NewDisposeScope();
        nn.Module<Tensor, Tensor> model = Create(name);
        var generated = (IGeneratedModel)model;
        var promised = row.Matches(generated.Summary()).ToDictionary(m => m.Groups[1].Value, m => m);

        model.train(); // training mode, so batch statistics and dropout masks run too
        Tensor x = randn(new[] { 3L }.Concat(generated.InputShape).ToArray());
        int layers = 0;
        foreach (var (child, module) in model.named_children())
        {
            x = ((nn.Module<Tensor, Tensor>)module).forward(x);
            Match expected = promised[child];
            long[] shape = expected.Groups[2].Value.Split(", ").Select(long.Parse).ToArray();
            Assert.Equal(new[] { 3L }.Concat(shape).ToArray(), x.shape);
            long parameters = module.parameters().Sum(p => p.numel());
            Assert.Equal(expected.Groups[3].Value.Length == 0 ? 0 : long.Parse(expected.Groups[3].Value.Replace(",", "")), parameters);
            layers++;
        }
        Assert.Equal(promised.Count, layers);
    }

    [Fact]
    public void Small_cnn_shapes_follow_the_formula()
    {
        using var scope = NewDisposeScope();
        var model = new SmallCnn(seed: 1);
        model.eval();
        // 20×18 → conv k3 p1: 20×18 → pool 2: 10×9 → conv k3 s2 d2: floor((10 − 5)/2) + 1 = 3, floor((9 − 5)/2) + 1 = 3
        // → avg pool k2 s1: 2×2 → flatten 8·2·2 = 32 → 5.
        Assert.Contains("[B, 8, 3, 3]", model.Summary());
        Assert.Contains("[B, 32]", model.Summary());
        Assert.Equal(new long[] { 2, 5 }, model.forward(randn(2, 1, 20, 18)).shape);
        // Bias = false on the second convolution: no bias parameter.
        Assert.DoesNotContain(model.named_parameters(), p => p.name == "conv2.bias");
    }

    [Fact]
    public void A_wrong_input_shape_throws_naming_the_model_and_both_shapes()
    {
        using var scope = NewDisposeScope();
        var model = new SmallCnn(seed: 1);
        var error = Assert.ThrowsAny<System.Exception>(() => model.forward(randn(2, 1, 28, 28)));
        Assert.Contains("SmallCnn", error.Message);
        Assert.Contains("20", error.Message);
    }

    [Fact]
    public void Same_seed_gives_identical_convolution_weights()
    {
        using var scope = NewDisposeScope();
        Dictionary<string, TorchSharp.Modules.Parameter> a = new SmallCnn(seed: 7).named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Dictionary<string, TorchSharp.Modules.Parameter> b = new SmallCnn(seed: 7).named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.All(a, p => Assert.True(p.Value.allclose(b[p.Key], rtol: 0, atol: 0), p.Key));
    }
}

using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Graph;

/// <summary>
/// A model whose template uses another template, against the same network written by hand in TorchSharp with the same
/// module names: the state_dicts have the same keys, and with the generated weights loaded the outputs agree in
/// training and in evaluation.
/// </summary>
public class NestedTemplateModelTests
{
    private sealed class HandMBConv : nn.Module<Tensor, Tensor>
    {
        private readonly Sequential expand, depthwise, project;

        public HandMBConv(long width, long hidden) : base("MBConv")
        {
            expand = nn.Sequential(("conv", nn.Conv2d(width, hidden, 1, bias: false)), ("batchnorm", nn.BatchNorm2d(hidden)), ("silu", nn.SiLU()));
            depthwise = nn.Sequential(("conv", nn.Conv2d(hidden, hidden, 3, padding: 1, groups: hidden, bias: false)), ("batchnorm", nn.BatchNorm2d(hidden)), ("silu", nn.SiLU()));
            project = nn.Sequential(("conv", nn.Conv2d(hidden, width, 1, bias: false)), ("batchnorm", nn.BatchNorm2d(width)));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => x + project.forward(depthwise.forward(expand.forward(x)));
    }

    private sealed class HandStage : nn.Module<Tensor, Tensor>
    {
        private readonly Sequential down;
        private readonly HandMBConv block0, block1;

        public HandStage(long input, long width, long expansion) : base("MBStage")
        {
            down = nn.Sequential(("conv", nn.Conv2d(input, width, 3, stride: 2, padding: 1, bias: false)), ("batchnorm", nn.BatchNorm2d(width)), ("silu", nn.SiLU()));
            block0 = new HandMBConv(width, width * expansion);
            block1 = new HandMBConv(width, width * expansion);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => block1.forward(block0.forward(down.forward(x)));
    }

    private sealed class HandNet : nn.Module<Tensor, Tensor>
    {
        private readonly Sequential stem, head;
        private readonly HandStage stage1, stage2;

        public HandNet() : base("MiniEfficientNet")
        {
            stem = nn.Sequential(("conv", nn.Conv2d(3, 6, 3, padding: 1)), ("relu", nn.ReLU()));
            stage1 = new HandStage(6, 4, 2);
            stage2 = new HandStage(4, 6, 3);
            head = nn.Sequential(("globalpool", nn.AdaptiveAvgPool2d(1)), ("globalflatten", nn.Flatten()), ("dense", nn.Linear(6, 5)));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => head.forward(stage2.forward(stage1.forward(stem.forward(x))));
    }

    [Fact]
    public void State_dict_names_nest_as_the_hand_written_modules_do()
    {
        using var scope = NewDisposeScope();
        using var model = new MiniEfficientNet(seed: 1);
        using var hand = new HandNet();
        Assert.Equal(hand.state_dict().Keys.OrderBy(k => k, System.StringComparer.Ordinal), model.state_dict().Keys.OrderBy(k => k, System.StringComparer.Ordinal));
        var p = model.state_dict();
        Assert.Equal(new long[] { 8, 4, 1, 1 }, p["stage1.block0.expand.conv.weight"].shape);           // hidden 4 · 2
        Assert.Equal(new long[] { 18, 1, 3, 3 }, p["stage2.block1.depthwise.conv.weight"].shape);       // hidden 6 · 3, depthwise
        Assert.Equal(new long[] { 6 }, p["stage2.block1.project.batchnorm.running_mean"].shape);
        Assert.IsType<MBConv>(model.Stage2.Block1);
        Assert.Contains("stage2.block0: MBConv (8 layers)", model.Summary(2));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_output_equals_the_hand_written_network_with_the_same_weights(bool training)
    {
        using var scope = NewDisposeScope();
        using var model = new MiniEfficientNet(seed: 3);
        using var hand = new HandNet();
        hand.load_state_dict(model.state_dict().ToDictionary(e => e.Key, e => e.Value.detach().clone()));
        model.train(training);
        hand.train(training);

        Tensor x = randn(new long[] { 4, 3, 8, 8 }, generator: new Generator(5));
        Tensor expected = hand.forward(x);
        Tensor actual = model.forward(x);
        Assert.True((expected - actual).abs().max().item<float>() <= 1e-6, $"max |Δ| = {(expected - actual).abs().max().item<float>()}");
        // In training both updated their running statistics from the same batches.
        var after = hand.state_dict();
        foreach ((string key, Tensor value) in model.state_dict())
            Assert.True((value.to_type(ScalarType.Float64) - after[key].to_type(ScalarType.Float64)).abs().max().item<double>() <= 1e-6, key);
    }
}

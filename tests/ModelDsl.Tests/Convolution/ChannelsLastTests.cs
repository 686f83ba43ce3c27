using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Tests.Folding;
using ModelDsl.Tests.Graph;
using ModelDsl.Tests.Models;
using ModelDsl.Tests.Weights;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Convolution;

/// <summary>
/// Generated CNNs run their image layers on channels-last activations. The layout changes speed only: outputs and
/// gradients equal those of the same model in NCHW within float32 rounding of the sums a convolution reorders. The tests
/// set process-wide switches (the policy, oneDNN) and seed the global generator, so they run alone.
/// </summary>
[Collection(nameof(GlobalGeneratorCollection))]
public class ChannelsLastTests
{
    [Fact]
    public void Of_keeps_every_value_and_switches_the_strides_of_a_multi_channel_image_only()
    {
        using var scope = NewDisposeScope();
        Tensor x = randn(new long[] { 2, 3, 4, 5 }, generator: new Generator(1));
        Tensor last = ChannelsLast.Of(x);
        Assert.True(last.equal(x).all().item<bool>());
        Assert.True(ChannelsLast.IsChannelsLast(last));
        Assert.Equal(new long[] { 60, 1, 15, 3 }, new[] { last.stride(0), last.stride(1), last.stride(2), last.stride(3) });
        Assert.Same(last, ChannelsLast.Of(last));                   // already channels-last
        Tensor gray = randn(2, 1, 4, 5);
        Assert.Same(gray, ChannelsLast.Of(gray));                   // one channel: the same memory either way
        Tensor features = randn(2, 3);
        Assert.Same(features, ChannelsLast.Of(features));           // not an image
    }

    [Theory]
    [InlineData(ChannelsLastPolicy.Always, true)]
    [InlineData(ChannelsLastPolicy.Never, false)]
    [InlineData(ChannelsLastPolicy.WithOneDnn, false)]
    public void Without_onednn_from_switches_as_the_policy_says(ChannelsLastPolicy policy, bool switches)
    {
        using var scope = NewDisposeScope();
        var model = new SmallCnn();
        WithoutOneDnn(policy, () =>
        {
            bool oneDnnStaysOn = !LibTorchBackends.IsSwitchable && policy == ChannelsLastPolicy.WithOneDnn;
            Assert.Equal(switches || oneDnnStaysOn, ChannelsLast.RunsChannelsLast(model));
            Assert.Equal(ChannelsLast.RunsChannelsLast(model), ChannelsLast.IsChannelsLast(ChannelsLast.From(randn(2, 3, 4, 5), model)));
            Assert.StartsWith(ChannelsLast.RunsChannelsLast(model) ? "channels-last (NHWC): " : "NCHW: ", ChannelsLast.Explain(model));
        });
    }

    [Fact]
    public void Auto_without_onednn_runs_channels_last_where_onemkl_has_a_cpu_path_and_no_convolution_is_grouped()
    {
        using var scope = NewDisposeScope();
        var plain = new SmallCnn();
        var nestedDepthwise = new MiniEfficientNet(); // the grouped convolution is two templates deep
        var groupedTranspose = new TransposedPair();
        WithoutOneDnn(ChannelsLastPolicy.Auto, () =>
        {
            if (LibTorchBackends.OneDnnEnabled) return; // a libtorch without the switch: oneDNN decides, as the default test checks
            Assert.Equal(MklCodePath.ChosenPath > 0, ChannelsLast.RunsChannelsLast(plain));
            Assert.False(ChannelsLast.RunsChannelsLast(nestedDepthwise));
            Assert.False(ChannelsLast.RunsChannelsLast(groupedTranspose));
            Tensor x = randn(2, 3, 8, 8);
            Assert.Same(x, ChannelsLast.From(x, nestedDepthwise));
            Assert.Equal("NCHW: oneDNN is off and the model has a grouped convolution, which libtorch's own kernels run slower on NHWC", ChannelsLast.Explain(nestedDepthwise));
            Assert.Equal(MklCodePath.ChosenPath > 0
                ? "channels-last (NHWC): oneDNN is off, oneMKL runs a CPU-specific path and no convolution is grouped"
                : "NCHW: oneDNN is off and oneMKL runs its generic path", ChannelsLast.Explain(plain));
        });
    }

    [Fact]
    public void Grouped_convolutions_are_found_in_the_model_itself_its_children_and_composed_templates()
    {
        using var plainConv = nn.Conv2d(4, 4, 3);
        using var groupedConv = nn.Conv2d(4, 4, 3, groups: 2);
        using var sequential = nn.Sequential(("plain", nn.Conv2d(4, 4, 3)), ("grouped", nn.Conv2d(4, 4, 3, groups: 4)));
        Assert.False(ChannelsLast.HasGroupedConvolution(plainConv));
        Assert.True(ChannelsLast.HasGroupedConvolution(groupedConv));
        Assert.True(ChannelsLast.HasGroupedConvolution(sequential));
        Assert.False(ChannelsLast.HasGroupedConvolution(new SmallCnn()));
        Assert.True(ChannelsLast.HasGroupedConvolution(new MiniEfficientNet()));
        Assert.True(ChannelsLast.HasGroupedConvolution(new TransposedPair()));
    }

    [Fact]
    public void Layers_that_compute_channels_last_hand_back_their_inputs_layout()
    {
        // ChannelDense and ChannelLayerNorm work on NHWC internally; a grouped convolution after them is up to 11× slower on
        // that layout without oneDNN, so they hand back NCHW for an NCHW input and keep channels-last for a channels-last one
        // (a model that runs channels-last). The values are the same.
        using var scope = NewDisposeScope();
        using var dense = new ChannelDense(4, 6);
        using var norm = new ChannelLayerNorm(4, 1e-6);
        Tensor x = randn(new long[] { 2, 4, 3, 5 }, generator: new Generator(3));
        Tensor[] Run(Tensor input) => new[] { dense.forward(input), norm.forward(input) };
        Tensor[] nchw = Run(x), nhwc = Run(ChannelsLast.Of(x));
        for (int i = 0; i < 2; i++)
        {
            Assert.True(nchw[i].is_contiguous());
            Assert.True(ChannelsLast.IsChannelsLast(nhwc[i]));
            Assert.True(nchw[i].equal(nhwc[i]).all().item<bool>());
        }
    }

    [Fact]
    public void By_default_the_policy_is_auto_which_follows_onednn_and_onemkl_for_a_model_without_grouped_convolutions()
    {
        Assert.Equal(ChannelsLastPolicy.Auto, ChannelsLast.Policy);
        Assert.Equal(LibTorchBackends.OneDnnEnabled || MklCodePath.ChosenPath > 0, ChannelsLast.RunsChannelsLast(new SmallCnn()));
        Assert.Equal(LibTorchBackends.OneDnnEnabled, ChannelsLast.RunsChannelsLast(new MiniEfficientNet()));
    }

    // Only turns oneDNN off (never on: on a CPU where the numerics check turned it off, tests running beside this one
    // would compute wrong numbers with it).
    internal static void WithoutOneDnn(ChannelsLastPolicy policy, Action check)
    {
        ChannelsLastPolicy before = ChannelsLast.Policy;
        bool oneDnnBefore = LibTorchBackends.OneDnnEnabled;
        try
        {
            ChannelsLast.Policy = policy;
            if (LibTorchBackends.IsSwitchable) LibTorchBackends.OneDnnEnabled = false;
            check();
        }
        finally
        {
            ChannelsLast.Policy = before;
            if (LibTorchBackends.IsSwitchable) LibTorchBackends.OneDnnEnabled = oneDnnBefore;
        }
    }

    [Theory]
    [InlineData(nameof(SmallCnn), false)]
    [InlineData(nameof(SmallCnn), true)]
    [InlineData(nameof(TinyImageClassifier), false)] // its ReLU rectifies the copy-free convolution's output in place
    [InlineData(nameof(TinyImageClassifier), true)]
    public void A_generated_cnn_gives_the_same_outputs_and_gradients_with_and_without_the_switch(string name, bool training)
    {
        (Tensor Output, Tensor[] Gradients) Run(bool channelsLast)
        {
            ChannelsLastPolicy before = ChannelsLast.Policy;
            ChannelsLast.Policy = channelsLast ? ChannelsLastPolicy.Always : ChannelsLastPolicy.Never;
            try
            {
                (nn.Module<Tensor, Tensor> model, long[] shape) = name == nameof(SmallCnn)
                    ? (new SmallCnn(seed: 3), new long[] { 6, 1, 20, 18 })
                    : ((nn.Module<Tensor, Tensor>)new TinyImageClassifier(seed: 3), new long[] { 6, 1, 8, 8 });
                model.train(training);
                manual_seed(5); // the same dropout masks in both runs
                Tensor output = model.forward(randn(shape, generator: new Generator(2)));
                output.sum().backward();
                return (output.detach(), model.parameters().Select(p => p.grad!.detach().clone()).ToArray());
            }
            finally
            {
                ChannelsLast.Policy = before;
            }
        }

        var (nchw, nchwGradients) = Run(false);
        var (nhwc, nhwcGradients) = Run(true);
        // Float32 (ε = 1.2e-7) sums of hundreds to thousands of terms in another order, then through batch statistics in
        // training: differences up to about 1e-5 of the tensor's scale (measured 9e-6 for the first convolution's gradient).
        AssertClose(nhwc, nchw, "output");
        for (int i = 0; i < nchwGradients.Length; i++) AssertClose(nhwcGradients[i], nchwGradients[i], $"gradient {i}");
    }

    [Fact]
    public void A_residual_model_trained_for_several_steps_keeps_the_same_weights_running_statistics_and_eval_output()
    {
        // What the layout could get wrong only over steps: batch norm's running statistics (updated in training, used at
        // eval) and the optimizer's updates through projection shortcuts and residual sums.
        Dictionary<string, Tensor> Train(bool channelsLast)
        {
            ChannelsLastPolicy before = ChannelsLast.Policy;
            ChannelsLast.Policy = channelsLast ? ChannelsLastPolicy.Always : ChannelsLastPolicy.Never;
            try
            {
                var model = new FoldResNet(seed: 4);
                using var optimizer = optim.SGD(model.parameters(), 0.05);
                model.train();
                for (int step = 0; step < 5; step++)
                {
                    using var scope = NewDisposeScope();
                    optimizer.zero_grad();
                    Tensor x = randn(new long[] { 8, 3, 12, 12 }, generator: new Generator((ulong)(10 + step))) * (1 + step) + step;
                    model.forward(x).pow(2).mean().backward();
                    optimizer.step();
                }
                var state = model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone());
                model.eval();
                using (no_grad()) state["eval output"] = model.forward(randn(new long[] { 4, 3, 12, 12 }, generator: new Generator(2)));
                return state;
            }
            finally
            {
                ChannelsLast.Policy = before;
            }
        }

        Dictionary<string, Tensor> nchw = Train(false), nhwc = Train(true);
        Assert.Contains("down.0.batchnorm1.running_var", nchw.Keys); // the running statistics are among what is compared
        foreach (var (name, expected) in nchw) AssertClose(nhwc[name].to_type(ScalarType.Float32), expected.to_type(ScalarType.Float32), name);
    }

    [Fact]
    public void An_eval_forward_with_blocked_convolutions_gives_the_nchw_outputs_in_chain_and_residual_models()
    {
        // At these batches the generated chain's second convolution (ChannelsLast.Convolve) and the residual block's two
        // (ResidualBlock) multiply blocks of images at eval; in training they are libtorch's (the test above).
        using var scope = NewDisposeScope();
        var cnn = new FoldMnistCnn(seed: 4);
        var residual = new WideResidualCnn(seed: 4);
        Tensor images = rand(new long[] { 64, 1, 28, 28 }, generator: new Generator(6));
        Tensor maps = randn(new long[] { 32, 32, 14, 14 }, generator: new Generator(6));
        Tensor Eval(nn.Module<Tensor, Tensor> model, Tensor x, ChannelsLastPolicy policy)
        {
            Tensor? output = null;
            WithoutOneDnn(policy, () =>
            {
                using var eval = model.Evaluating();
                output = model.forward(x);
            });
            return output!;
        }
        WithoutOneDnn(ChannelsLastPolicy.Always, () =>
        {
            var conv = (TorchSharp.Modules.Conv2d)residual.named_modules().First(m => m.name == "block.0.conv1").module;
            Assert.Equal(!LibTorchBackends.OneDnnEnabled, ChannelsLastConvolution.AppliesChannelsLast(conv, ChannelsLast.Of(maps)));
        });
        AssertClose(Eval(cnn, images, ChannelsLastPolicy.Always), Eval(cnn, images, ChannelsLastPolicy.Never), "MNIST CNN at batch 64");
        AssertClose(Eval(residual, maps, ChannelsLastPolicy.Always), Eval(residual, maps, ChannelsLastPolicy.Never), "residual block at batch 32");
    }

    [Fact]
    public void A_float64_model_takes_the_blocked_convolutions_at_eval_and_in_its_folded_forward_with_float64_results()
    {
        // A neighbour no other test names: the blocked product and the pairwise pool in float64 (addmm and maximum in double).
        using var scope = NewDisposeScope();
        var cnn = new FoldMnistCnn(seed: 5);
        cnn.to(ScalarType.Float64);
        Tensor images = rand(new long[] { 64, 1, 28, 28 }, ScalarType.Float64, generator: new Generator(7));
        Tensor? blocked = null, plain = null, folded = null;
        WithoutOneDnn(ChannelsLastPolicy.Always, () =>
        {
            using FoldedInference fast = cnn.Folded(require: true);
            using var eval = cnn.Evaluating();
            blocked = cnn.forward(images);
            folded = fast.forward(images);
            Assert.True(fast.LastCallFolded);
        });
        WithoutOneDnn(ChannelsLastPolicy.Never, () =>
        {
            using var eval = cnn.Evaluating();
            plain = cnn.forward(images);
        });
        Assert.Equal(ScalarType.Float64, blocked!.dtype);
        Assert.Equal(ScalarType.Float64, folded!.dtype);
        // Float64 sums of up to 3,136 terms in another order: far inside 1e-10 of the outputs' scale.
        double scale = Math.Max(1, plain!.abs().max().item<double>());
        Assert.True((blocked - plain).abs().max().item<double>() <= 1e-10 * scale, "eval forward");
        Assert.True((folded - plain).abs().max().item<double>() <= 1e-10 * scale, "folded forward");
    }

    [Theory]
    [InlineData(PaddingModes.Zeros, ScalarType.Float32)]     // oneDNN's or ModelDsl's NCHW-in convolution, whichever runs here
    [InlineData(PaddingModes.Reflect, ScalarType.Float32)]   // libtorch's own, given the one-channel image with channels-last strides
    [InlineData(PaddingModes.Zeros, ScalarType.Float64)]     // oneDNN never runs float64: libtorch's own or ModelDsl's
    [InlineData(PaddingModes.Reflect, ScalarType.Float64)]
    public void FromLayer_hands_a_one_channel_image_on_and_gets_the_nchw_convolutions_values_and_gradients(PaddingModes padding, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var conv = nn.Conv2d(1, 16, 3, padding: 1, padding_mode: padding, dtype: dtype);
        var model = new SmallCnn();
        Tensor images = randn(new long[] { 8, 1, 12, 10 }, dtype, generator: new Generator(4));
        // Contiguous; a batch sliced from a larger tensor (contiguous, starting 360 elements into the storage: the view
        // must keep that offset); and a one-channel image that is not contiguous.
        foreach (Tensor x in new[] { images, images.narrow(0, 3, 4), images.transpose(2, 3) })
        {
            ChannelsLastPolicy before = ChannelsLast.Policy;
            try
            {
                ChannelsLast.Policy = ChannelsLastPolicy.Always;
                Tensor switched = ChannelsLast.FromLayer(conv, x, model);
                Assert.True(ChannelsLast.IsChannelsLast(switched));
                Tensor weightGradient = autograd.grad(new[] { switched.pow(2).sum() }, new[] { conv.weight })[0];
                Tensor expected = conv.forward(x.contiguous());
                Tensor expectedGradient = autograd.grad(new[] { expected.pow(2).sum() }, new[] { conv.weight })[0];
                AssertClose(switched, expected, "output");
                AssertClose(weightGradient, expectedGradient, "weight gradient");
            }
            finally
            {
                ChannelsLast.Policy = before;
            }
        }
    }

    [Fact]
    public void Convolve_is_the_layers_own_forward_while_gradients_are_recorded_and_for_a_wrong_input()
    {
        using var scope = NewDisposeScope();
        var conv = nn.Conv2d(32, 64, 3, padding: 1);
        Tensor x = ChannelsLast.Of(randn(16, 32, 28, 28));
        WithoutOneDnn(ChannelsLastPolicy.Always, () =>
        {
            Tensor recorded = ChannelsLast.Convolve(conv, x);
            Assert.True(recorded.requires_grad);
            Assert.True(recorded.Equals(conv.forward(x)));   // libtorch's convolution, bit for bit
            using var noGrad = no_grad();
            Tensor blocked = ChannelsLast.Convolve(conv, x);
            Assert.True(ChannelsLast.IsChannelsLast(blocked));
            AssertClose(blocked, conv.forward(x), "no gradient");
            var e = Assert.Throws<ArgumentException>(() => ChannelsLast.Convolve(conv, ChannelsLast.Of(randn(16, 16, 28, 28))));
            Assert.Contains("32 channels", e.Message);
        });
    }

    private static void AssertClose(Tensor actual, Tensor expected, string what)
    {
        double difference = (actual - expected).abs().max().to_type(ScalarType.Float64).item<double>();
        double scale = Math.Max(1, expected.abs().max().to_type(ScalarType.Float64).item<double>());
        Assert.True(difference <= 1e-4 * scale, $"{what}: max difference {difference} at scale {scale}");
    }

    [Fact]
    public void An_image_output_comes_back_with_nchw_strides_and_the_summary_names_the_switch()
    {
        using var scope = NewDisposeScope();
        var model = new ImageToImage(seed: 1);
        Tensor output = model.forward(randn(2, 3, 8, 8));
        Assert.Equal(new long[] { 2, 4, 4, 4 }, output.shape);
        Assert.True(output.is_contiguous());
        Assert.EndsWith("memory layout: channels-last (NHWC) from the input where ChannelsLast.Policy chooses it at run time", model.Summary());
        Assert.EndsWith("memory layout: channels-last (NHWC) after conv1 where ChannelsLast.Policy chooses it at run time", new SmallCnn().Summary());
    }
}

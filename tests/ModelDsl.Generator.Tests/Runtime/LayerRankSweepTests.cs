using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Planning;
using ModelDsl.Generator.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Generator.Tests.Runtime;

/// <summary>
/// Shapes the generator accepts must run: for every layer rule and every input rank, either the generator reports an
/// error diagnostic, or the generated model is compiled, loaded and run forward in training and eval on real tensors.
/// ([Dense(6), GroupNorm(3)] once compiled cleanly and threw "Invalid number of dimensions for GroupNorm argument: 2".)
/// </summary>
public class LayerRankSweepTests
{
    /// <summary>One instance of each rule's attribute, with arguments that fit 4 features or channels.</summary>
    internal static readonly Dictionary<string, string> Layers = new()
    {
        ["Dense"] = "Dense(3)",
        ["Flatten"] = "Flatten",
        ["BatchNorm"] = "BatchNorm",
        ["LayerNorm"] = "LayerNorm",
        ["Dropout"] = "Dropout(0.5)",
        ["GaussianNoise"] = "GaussianNoise(0.1)",
        ["ReLU"] = "ReLU",
        ["LeakyReLU"] = "LeakyReLU(0.1)",
        ["Tanh"] = "Tanh",
        ["Sigmoid"] = "Sigmoid",
        ["GELU"] = "GELU",
        ["Softmax"] = "Softmax",
        ["LogSoftmax"] = "LogSoftmax",
        ["Conv2d"] = "Conv2d(2, 3, Padding = 1)",
        ["MaxPool2d"] = "MaxPool2d(2)",
        ["AvgPool2d"] = "AvgPool2d(2)",
        ["GlobalAvgPool"] = "GlobalAvgPool",
        ["InstanceNorm"] = "InstanceNorm",
        ["GroupNorm"] = "GroupNorm(2)",
        ["Dropout2d"] = "Dropout2d(0.5)",
        ["SiLU"] = "SiLU",
        ["ReLU6"] = "ReLU6",
        ["Hardswish"] = "Hardswish",
        ["Hardsigmoid"] = "Hardsigmoid",
        ["Mish"] = "Mish",
        ["AdaptiveAvgPool2d"] = "AdaptiveAvgPool2d(4)",
        ["AdaptiveMaxPool2d"] = "AdaptiveMaxPool2d(4, 3)",
        ["Upsample"] = "Upsample(2, Mode = Interpolation.Bilinear)",
        ["ConvTranspose2d"] = "ConvTranspose2d(4, 3, Stride = 2, Padding = 1, OutputPadding = 1)",
        ["SqueezeExcitation"] = "SqueezeExcitation(2)",
        ["StochasticDepth"] = "StochasticDepth(0.2)",
        ["ChannelShuffle"] = "ChannelShuffle(2)",
        ["ChannelSplit"] = "ChannelSplit(2, 1)",
        ["ClassToken"] = "ClassToken",
        ["PositionEmbedding"] = "PositionEmbedding",
        ["SelectToken"] = "SelectToken(1)",
        ["ChannelDense"] = "ChannelDense(3)",
        ["LayerScale"] = "LayerScale(InitValue = 0.5)",
        ["ELU"] = "ELU(0.5)",
        ["LSTM"] = "LSTM(3)",
        ["GRU"] = "GRU(3, ReturnSequences = true)",
        ["PatchEmbedding"] = "PatchEmbedding(1, 4)",
        ["PositionalEncoding"] = "PositionalEncoding(Learned = true)",
        ["TransformerEncoder"] = "TransformerEncoder(1, 8)",
        ["TransformerDecoder"] = "TransformerDecoder(1, 8, Memory = \"input\")", // the input is its own memory: a one-input graph
        ["GlobalAvgPool1d"] = "GlobalAvgPool1d",
        ["Embedding"] = "Embedding(10, 4, PaddingIndex = 0)",
        ["Conv1d"] = "Conv1d(3, 2, Padding = Padding.Same)",
        ["MaxPool1d"] = "MaxPool1d(2)",
        ["AvgPool1d"] = "AvgPool1d(3, Stride = 1)",
    };

    private static readonly long[][] Inputs = { new long[] { 4 }, new long[] { 4, 6 }, new long[] { 4, 6, 6 } };

    public static TheoryData<string> RuleNames() => new(Layers.Keys);

    [Fact]
    public void The_sweep_covers_every_layer_rule()
    {
        var table = (System.Collections.IDictionary)typeof(LayerRules).GetField("byName", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
        Assert.Equal(table.Keys.Cast<string>().Order(), Layers.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(RuleNames))]
    public void Every_input_rank_the_rule_accepts_runs_in_training_and_eval(string rule)
        => Assert.NotEmpty(Sweep(rule, Plain(rule), out _, RunsFinite));

    /// <summary>
    /// Issue #23: the model seed decides every parameter and buffer, whatever state TorchSharp's global generator is in.
    /// Two models built back to back agree even when a layer draws from the global generator (the seed scope restores
    /// it), so each model here is built after a different manual_seed. TransformerEncoder's attention output projection
    /// was drawn from the global generator and differed.
    /// </summary>
    [Theory]
    [MemberData(nameof(RuleNames))]
    public void The_same_seed_gives_bit_identical_parameters_and_buffers_under_any_global_rng_state(string rule)
        => Assert.NotEmpty(Sweep(rule, Plain(rule), out _, SeedDecidesEverything));

    /// <summary>
    /// Issue #23: an empty batch [0, …] gives the empty output of the model's output shape, in training and eval, for
    /// every layer kind (a token encoder threw from inside libtorch's attention).
    /// </summary>
    [Theory]
    [MemberData(nameof(RuleNames))]
    public void An_empty_batch_gives_the_empty_output_of_the_right_shape(string rule)
        => Assert.NotEmpty(Sweep(rule, Plain(rule), out _, EmptyBatchIsEmptyOutput));

    /// <summary>
    /// A layer that computes channels-last inside (a permute to NHWC and back) must hand back its input's layout: in a model
    /// that does not run channels-last, libtorch's grouped convolutions without oneDNN are up to 11× slower on NHWC
    /// (ChannelDense once made ConvNeXt's next depthwise convolution so). Each of the model's layers runs on its own, on a
    /// contiguous NCHW image, and no image it gets back may have channels-last strides (only the generated forward switches
    /// the layout, through ChannelsLast.From).
    /// </summary>
    [Theory]
    [MemberData(nameof(RuleNames))]
    public void Given_nchw_an_image_layer_hands_back_nchw(string rule)
        => Assert.NotEmpty(Sweep(rule, Plain(rule), out _, (create, input, where) =>
        {
            using var scope = NewDisposeScope();
            nn.Module<Tensor, Tensor> model = create();
            model.eval();
            Tensor x = Batch(model, 2, input);
            foreach (var layer in model.children().OfType<nn.Module<Tensor, Tensor>>().Where(l => l is not ModelDsl.ICrossAttentionLayer)) // a decoder reads a memory too, and no image
            {
                Tensor y = layer.forward(x);
                // A view of part of the channels (ChannelSplit) is NCHW still; channels-last strides are what must not leak.
                if (x.dim() == 4 && x.is_contiguous() && y.dim() == 4)
                    Assert.True(y.is_contiguous() || !ModelDsl.ChannelsLast.IsChannelsLast(y), $"{where}: {layer.GetType().Name} turned a contiguous NCHW image into channels-last strides {string.Join(", ", y.stride())}");
                x = y;
            }
        }));

    /// <summary>
    /// The same sweep with the layer as a [Residual] block's whole branch: the generator picks the identity, a projection
    /// (when the layer changes channels, size or width) or refuses with MD0070, and what it accepts must run.
    /// </summary>
    [Theory]
    [MemberData(nameof(RuleNames))]
    public void Every_input_rank_the_rule_accepts_runs_as_a_residual_branch(string rule)
    {
        List<string> accepted = Sweep(rule, InResidual(rule), out List<string> refusals, (create, input, shape) =>
        {
            RunsFinite(create, input, shape);
            SeedDecidesEverything(create, input, shape);
            EmptyBatchIsEmptyOutput(create, input, shape);
        });
        // A layer that changes the rank (LSTM's last step, pooling to features, patches) has no projection: MD0070 says so.
        // An Embedding reads token ids, which only the model's first layer sees and a sum with them cannot use: MD0063.
        // A decoder's memory is another value of the graph, and a branch sees only its own input: MD0114.
        if (accepted.Count == 0) Assert.Contains(rule switch { "Embedding" => "MD0063", "TransformerDecoder" => "MD0114", _ => "MD0070" }, refusals);
    }

    internal static Func<string, string> Plain(string rule)
        => shape => $"using ModelDsl;\nnamespace Sweep;\n[Model({shape})]\n[{Layers[rule]}]\npublic partial class Net {{ }}\n";

    internal static Func<string, string> InResidual(string rule)
        => shape => $"using ModelDsl;\nusing TorchSharp.Modules;\nnamespace Sweep;\n[Model({shape})]\npublic partial class Net\n{{\n    [Residual(Activation = Activation.ReLU), {Layers[rule]}]\n    public partial Sequential Block {{ get; }}\n}}\n";

    /// <summary>A batch of <paramref name="size"/> inputs: token ids of the model's vocabulary (0 is the padding id here), else floats.</summary>
    private static Tensor Batch(nn.Module<Tensor, Tensor> model, long size, long[] input)
    {
        long[] shape = new[] { size }.Concat(input).ToArray();
        return model is ITokenModel tokens
            ? randint(0, tokens.Vocabulary, shape, ScalarType.Int64, generator: new torch.Generator(3))
            : randn(shape, generator: new torch.Generator(3));
    }

    private static void RunsFinite(Func<nn.Module<Tensor, Tensor>> create, long[] input, string where)
    {
        using var scope = NewDisposeScope();
        nn.Module<Tensor, Tensor> model = create();
        Tensor x = Batch(model, 2, input);
        foreach (bool training in new[] { true, false })
        {
            model.train(training);
            Tensor y = model.forward(x);
            Assert.True(y.isfinite().all().item<bool>(), $"{where} in {(training ? "training" : "eval")}: non-finite output");
        }
    }

    private static void SeedDecidesEverything(Func<nn.Module<Tensor, Tensor>> create, long[] input, string where)
    {
        using var scope = NewDisposeScope();
        Tensor saved = get_rng_state();
        try
        {
            manual_seed(1);
            nn.Module<Tensor, Tensor> first = create();
            manual_seed(2);
            nn.Module<Tensor, Tensor> second = create();
            Dictionary<string, Tensor> a = first.state_dict(), b = second.state_dict();
            Assert.Equal(a.Keys.Order(), b.Keys.Order());
            foreach ((string key, Tensor value) in a)
                Assert.True(value.shape.SequenceEqual(b[key].shape) && value.equal(b[key]).all().item<bool>(), $"{where}: '{key}' differs between two models of seed 4 built under different global RNG states");
        }
        finally
        {
            set_rng_state(saved);
        }
    }

    private static void EmptyBatchIsEmptyOutput(Func<nn.Module<Tensor, Tensor>> create, long[] input, string where)
    {
        using var scope = NewDisposeScope();
        nn.Module<Tensor, Tensor> model = create();
        long[] expected;
        model.eval();
        using (no_grad()) expected = model.forward(Batch(model, 2, input)).shape.Skip(1).Prepend(0L).ToArray();
        foreach (bool training in new[] { true, false })
        {
            model.train(training);
            Tensor y = model.forward(Batch(model, 0, input));
            Assert.True(expected.SequenceEqual(y.shape), $"{where} in {(training ? "training" : "eval")}: an empty batch gave [{string.Join(", ", y.shape)}], expected [{string.Join(", ", expected)}]");
        }
    }

    /// <summary>
    /// Runs <paramref name="check"/> on every accepted input rank (with a factory of the seed-4 model, the input shape and
    /// a description); returns the accepted shapes and, in <paramref name="refusals"/>, the error IDs of the refused ones.
    /// </summary>
    private static List<string> Sweep(string rule, Func<string, string> declare, out List<string> refusals, Action<Func<nn.Module<Tensor, Tensor>>, long[], string> check)
    {
        var accepted = new List<string>();
        refusals = new List<string>();
        foreach (long[] input in Inputs)
        {
            string shape = string.Join(", ", input);
            string source = declare(shape);
            GeneratorResult result = Generated.GetOrAdd(source, s => GeneratorHarness.Run(s));
            if (result.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                refusals.AddRange(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id));
                continue; // refused at compile time, with a diagnostic
            }
            Assert.True(result.CompilerDiagnostics.IsEmpty, $"[{Layers[rule]}] on [B, {shape}]: " + string.Join("\n", result.CompilerDiagnostics));
            Assert.DoesNotContain(result.Diagnostics, d => d.Id == "MD0099");
            accepted.Add(shape);

            Type type = Loaded.GetOrAdd(source, s => Compile(s).GetType("Sweep.Net")!);
            check(() => (nn.Module<Tensor, Tensor>)Activator.CreateInstance(type, new object?[] { 4L, null, null })!, input, $"[{Layers[rule]}] on [B, {shape}]");
        }
        return accepted;
    }

    // The three sweeps of a rule generate and compile the same sources: once each.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, GeneratorResult> Generated = new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Type> Loaded = new();

    // The generated code compiled and loaded as a user's project would; the runtime and TorchSharp are this process's own.
    internal static Assembly Compile(string source)
    {
        GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(GeneratorHarness.Compilation(source), out Compilation output, out _);
        using var stream = new MemoryStream();
        var emitted = output.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        stream.Position = 0;
        return new AssemblyLoadContext(null, isCollectible: true).LoadFromStream(stream);
    }
}

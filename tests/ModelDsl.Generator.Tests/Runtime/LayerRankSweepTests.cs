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
    private static readonly Dictionary<string, string> Layers = new()
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
        ["ELU"] = "ELU(0.5)",
        ["LSTM"] = "LSTM(3)",
        ["GRU"] = "GRU(3, ReturnSequences = true)",
        ["PatchEmbedding"] = "PatchEmbedding(1, 4)",
        ["PositionalEncoding"] = "PositionalEncoding(Learned = true)",
        ["TransformerEncoder"] = "TransformerEncoder(1, 8)",
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
        => Assert.NotEmpty(Sweep(rule, shape => $"using ModelDsl;\nnamespace Sweep;\n[Model({shape})]\n[{Layers[rule]}]\npublic partial class Net {{ }}\n", out _));

    /// <summary>
    /// The same sweep with the layer as a [Residual] block's whole branch: the generator picks the identity, a projection
    /// (when the layer changes channels, size or width) or refuses with MD0070, and what it accepts must run.
    /// </summary>
    [Theory]
    [MemberData(nameof(RuleNames))]
    public void Every_input_rank_the_rule_accepts_runs_as_a_residual_branch(string rule)
    {
        List<string> accepted = Sweep(rule, shape => $"using ModelDsl;\nusing TorchSharp.Modules;\nnamespace Sweep;\n[Model({shape})]\npublic partial class Net\n{{\n    [Residual(Activation = Activation.ReLU), {Layers[rule]}]\n    public partial Sequential Block {{ get; }}\n}}\n", out List<string> refusals);
        // A layer that changes the rank (LSTM's last step, pooling to features, patches) has no projection: MD0070 says so.
        // An Embedding reads token ids, which only the model's first layer sees and a sum with them cannot use: MD0063.
        if (accepted.Count == 0) Assert.Contains(rule == "Embedding" ? "MD0063" : "MD0070", refusals);
    }

    /// <summary>Runs every accepted input rank; returns the accepted shapes and, in <paramref name="refusals"/>, the error IDs of the refused ones.</summary>
    private static List<string> Sweep(string rule, Func<string, string> declare, out List<string> refusals)
    {
        var accepted = new List<string>();
        refusals = new List<string>();
        foreach (long[] input in Inputs)
        {
            string shape = string.Join(", ", input);
            string source = declare(shape);
            GeneratorResult result = GeneratorHarness.Run(source);
            if (result.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                refusals.AddRange(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id));
                continue; // refused at compile time, with a diagnostic
            }
            Assert.True(result.CompilerDiagnostics.IsEmpty, $"[{Layers[rule]}] on [B, {shape}]: " + string.Join("\n", result.CompilerDiagnostics));
            Assert.DoesNotContain(result.Diagnostics, d => d.Id == "MD0099");
            accepted.Add(shape);

            var model = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(Compile(source).GetType("Sweep.Net")!, new object?[] { 1L, null, null })!;
            using var scope = NewDisposeScope();
            long[] batch = new[] { 2L }.Concat(input).ToArray();
            // A token model reads ids of its vocabulary (0 is the padding id here); every other model reads floats.
            Tensor x = model is ITokenModel tokens
                ? randint(0, tokens.Vocabulary, batch, ScalarType.Int64, generator: new torch.Generator(3))
                : randn(batch, generator: new torch.Generator(3));
            foreach (bool training in new[] { true, false })
            {
                model.train(training);
                Tensor y = model.forward(x);
                Assert.True(y.isfinite().all().item<bool>(), $"[{Layers[rule]}] on [B, {shape}] in {(training ? "training" : "eval")}: non-finite output");
            }
        }
        return accepted;
    }

    // The generated code compiled and loaded as a user's project would; the runtime and TorchSharp are this process's own.
    private static Assembly Compile(string source)
    {
        GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(GeneratorHarness.Compilation(source), out Compilation output, out _);
        using var stream = new MemoryStream();
        var emitted = output.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        stream.Position = 0;
        return new AssemblyLoadContext(null, isCollectible: true).LoadFromStream(stream);
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Tests.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Reliability;

/// <summary>
/// Every module the runtime defines and every kind of class the generator writes survives <c>to(dtype)</c>,
/// <c>to(device, dtype)</c> and <c>load_state_dict</c>: forward reads the converted tensors (not disposed or stale ones)
/// and backward reaches them. TorchSharp's Module.to() replaces each registered parameter and buffer with a new tensor
/// (and disposes the old one), so a module that keeps its own references to them in other fields or arrays would read
/// disposed or stale tensors after a conversion; such a module fails here.
/// </summary>
public class ModuleConversionTests
{
    /// <summary>One module to convert: how to build it and how to run it on a seeded input of a dtype.</summary>
    public sealed record Case(string Name, Func<nn.Module> Create, Func<nn.Module, ScalarType, Tensor> Run)
    {
        public override string ToString() => Name;
    }

    private static Func<nn.Module, ScalarType, Tensor> Input(params long[] shape)
        => (module, dtype) => ((nn.Module<Tensor, Tensor>)module).forward(randn(shape, generator: new Generator(7)).to(dtype));

    private static readonly Case[] Cases =
    {
        // Runtime layers.
        new("BatchNormalization", () => new BatchNormalization(5), Input(4, 5)),
        new("BatchNormalization 2d", () => new BatchNormalization(3), Input(2, 3, 4, 4)),
        new("GroupNormalization", () => new GroupNormalization(2, 4), Input(3, 4)),
        new("GaussianNoise", () => new GaussianNoise(0.1), Input(4, 5)),
        new("WeightScalingDropout", () => new WeightScalingDropout(0.8), Input(4, 5)),
        new("NoisyLinear", () => new NoisyLinear(nn.Linear(5, 3), 0.1), Input(4, 5)),
        new("TransformerDecoder pre-LN", () => new TransformerDecoder(8, 2, 16, count: 2, dropout: 0),
            (module, dtype) => ((TransformerDecoder)module).forward(randn(new long[] { 2, 3, 8 }, generator: new Generator(7)).to(dtype), randn(new long[] { 2, 4, 8 }, generator: new Generator(8)).to(dtype))),
        new("TiedLinear with its embedding", () =>
        {
            var model = nn.Sequential(("embedding", nn.Embedding(6, 4)), ("head", new TiedLinear(4, 6, hasBias: true)));
            TiedLinear.TieAll(model);
            return model;
        }, (module, dtype) => ((nn.Module<Tensor, Tensor>)module).forward(randint(0, 6, new long[] { 2, 3 }, ScalarType.Int64, generator: new Generator(7)))),
        new("EnsembleAggregator learned", () => new EnsembleAggregator(3, Aggregation.WeightedMean), Input(3, 4, 2)),
        new("EnsembleAggregator fixed", () => new EnsembleAggregator(3, Aggregation.WeightedMean, weights: new[] { 1.0, 2.0, 3.0 }), Input(3, 4, 2)),
        new("EnsembleAggregator soft vote", () => new EnsembleAggregator(3, Aggregation.SoftVote), Input(3, 4, 2)),
        new("VectorizedDenseStack", () => new VectorizedDenseStack(2, new[] { VectorizedLayer.Dense(4, 6), VectorizedLayer.LayerNorm(6), VectorizedLayer.Dense(6, 1) }), Input(5, 4)),
        new("Recurrent LSTM, bidirectional, sequences", () => new Recurrent(RecurrentKind.LSTM, 4, 3, layers: 2, bidirectional: true, returnSequences: true), Input(2, 5, 4)),
        new("Recurrent GRU, last step", () => new Recurrent(RecurrentKind.GRU, 4, 3), Input(2, 5, 4)),
        new("PositionalEncoding sinusoidal", () => new PositionalEncoding(8, 4), Input(2, 5, 4)),
        new("PositionalEncoding learned", () => new PositionalEncoding(8, 4, learned: true), Input(2, 5, 4)),
        new("TransformerEncoderLayer", () => new TransformerEncoderLayer(8, 2, 16, dropout: 0), Input(2, 5, 8)),
        new("PatchEmbedding", () => new PatchEmbedding(1, 4, 6), Input(2, 1, 8, 8)),
        new("TransformerEncoder pre-LN", () => new TransformerEncoder(8, 2, 16, count: 2, dropout: 0), Input(2, 5, 8)),
        new("GlobalAvgPool1d", () => new GlobalAvgPool1d(), Input(2, 5, 8)),
        new("SqueezeExcitation", () => new SqueezeExcitation(6, 3), Input(2, 6, 4, 4)),
        new("StochasticDepth", () => new StochasticDepth(0.25), Input(4, 6)),
        new("ChannelSplit", () => new ChannelSplit(3, 2), Input(2, 6, 3, 3)),
        new("MaxPooling2D", () => new MaxPooling2D(2, 2), Input(2, 6, 4, 4)),
        new("ClassToken", () => new ClassToken(4), Input(2, 3, 4)),
        new("PositionEmbedding", () => new PositionEmbedding(3, 4), Input(2, 3, 4)),
        new("SelectToken", () => new SelectToken(2), Input(2, 3, 4)),
        new("ChannelDense", () => new ChannelDense(4, 6), Input(2, 4, 3, 3)),
        new("ChannelLayerNorm", () => new ChannelLayerNorm(4, 1e-6), Input(2, 4, 3, 3)),
        new("LayerScale", () => new LayerScale(new long[] { 4, 1, 1 }, 0.5), Input(2, 4, 3, 3)),
        new("SequenceConv1d same, dilated", () => new SequenceConv1d(4, 6, 3, same: true, dilation: 2), Input(2, 7, 4)),
        new("SequenceConv1d strided, no bias", () => new SequenceConv1d(4, 6, 3, stride: 2, padding: 1, hasBias: false), Input(2, 7, 4)),
        new("SequencePool1d max", () => new SequencePool1d(true, 2, 2), Input(2, 7, 4)),
        new("SequencePool1d average", () => new SequencePool1d(false, 3, 1), Input(2, 7, 4)),
        new("RegularizedCrossEntropy", () => new RegularizedCrossEntropy(labelSmoothing: 0.1),
            (module, dtype) => ((nn.Module<Tensor, Tensor, Tensor>)module).forward(randn(new long[] { 4, 3 }, generator: new Generator(7)).to(dtype), tensor(new long[] { 0, 2, 1, 2 }))),
        // Generated kinds: a model (norms, noise, dropout, weight noise, a named block), loop and vectorized ensembles.
        new("generated model", () => new ModeModel(seed: 1), Input(4, 6)),
        new("generated model with GroupNorm", () => new DenseGroupNorm(seed: 1), Input(4, 4)),
        new("loop ensemble, learned weights", () => new LearnedWeightsNetEnsemble(), Input(4, 4)),
        new("loop ensemble, fixed weights", () => new FixedWeightsNetEnsemble(), Input(4, 4)),
        new("loop ensemble, soft vote", () => new TinyClassifierEnsemble(), Input(4, 4)),
        new("vectorized ensemble, learned weights", () => new VectorizedWeightsNetEnsemble(), Input(4, 4)),
        new("vectorized ensemble, fixed weights", () => new VectorizedFixedNetEnsemble(), Input(4, 4)),
        new("vectorized ensemble, soft vote", () => new VectorizableNetEnsemble(), Input(4, 6)),
        // Residual blocks: a projection unit and an identity unit (ModelDsl.ResidualBlock), and a loop ensemble of them.
        new("generated residual model", () => new ZeroGammaCnn(seed: 1), Input(2, 3, 8, 8)),
        new("loop ensemble of residual models", () => new ResidualEnsembleCnnEnsemble(), Input(2, 3, 8, 8)),
    };

    public static TheoryData<Case> All() => new(Cases);

    [Fact]
    public void Every_module_type_in_the_runtime_assembly_has_a_case()
    {
        var moduleTypes = typeof(BatchNormalization).Assembly.GetTypes()
            .Where(t => typeof(nn.Module).IsAssignableFrom(t) && !t.IsAbstract)
            .Select(t => t.IsGenericType ? t.GetGenericTypeDefinition() : t)
            .ToHashSet();
        var covered = new HashSet<Type>();
        foreach (var c in Cases)
        {
            using var scope = NewDisposeScope();
            using var module = c.Create();
            foreach (var m in module.modules().Prepend(module))
                for (Type? t = m.GetType(); t is not null; t = t.BaseType) covered.Add(t.IsGenericType ? t.GetGenericTypeDefinition() : t);
        }
        Assert.Empty(moduleTypes.Where(t => !covered.Contains(t)).Select(t => t.Name));
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Converted_to_float64_forward_reads_the_converted_tensors_and_backward_reaches_them(Case c)
        => AssertConverts(c, module => module.to(ScalarType.Float64));

    [Theory]
    [MemberData(nameof(All))]
    public void Converted_by_device_and_dtype_forward_reads_the_converted_tensors(Case c)
        => AssertConverts(c, module => module.to(CPU, ScalarType.Float64));

    [Fact]
    public void An_ensemble_built_in_float64_keeps_its_member_weights_in_float64()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(ScalarType.Float64, new LearnedWeightsNetEnsemble(dtype: ScalarType.Float64).Aggregator.Weights!.dtype);
        Assert.Equal(ScalarType.Float64, new FixedWeightsNetEnsemble(dtype: ScalarType.Float64).Aggregator.Weights!.dtype);
        Assert.Equal(ScalarType.Float64, new VectorizedWeightsNetEnsemble(dtype: ScalarType.Float64).Aggregator.Weights!.dtype);
        Assert.All(new LearnedWeightsNetEnsemble(dtype: ScalarType.Float64).state_dict().Values.Where(t => t.is_floating_point()), t => Assert.Equal(ScalarType.Float64, t.dtype));
    }

    private static void AssertConverts(Case c, Action<nn.Module> convert)
    {
        using var scope = NewDisposeScope();
        var module = c.Create();
        convert(module);
        foreach (var (name, t) in module.state_dict())
            if (t.is_floating_point()) Assert.True(t.dtype == ScalarType.Float64, $"{c.Name}: {name} is {t.dtype} after conversion");

        // New values through load_state_dict (copy_ into the registered tensors): forward must see them. The reference is a
        // module that was never converted, loaded with the same values; it computes in float32.
        var changed = module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.is_floating_point() ? (kv.Value * 0.9 + 0.05).detach() : kv.Value.clone());
        module.load_state_dict(changed);
        var reference = c.Create();
        reference.load_state_dict(changed);
        module.eval();
        reference.eval();
        using (no_grad())
        {
            Tensor actual = c.Run(module, ScalarType.Float64);
            Tensor expected = c.Run(reference, ScalarType.Float32);
            Assert.Equal(ScalarType.Float64, actual.dtype);
            Assert.True(actual.allclose(expected.to(ScalarType.Float64), rtol: 1e-4, atol: 1e-5), $"{c.Name}: forward does not read the converted parameters");
        }

        module.train();
        Tensor output = c.Run(module, ScalarType.Float64);
        var parameters = module.parameters().ToList();
        if (!output.requires_grad)
        {
            Assert.DoesNotContain(parameters, p => p.requires_grad); // only parameter-free modules give an output without grad
            return;
        }
        output.sum().backward();
        Assert.All(parameters, p => Assert.True(p.grad is { } g && g.dtype == ScalarType.Float64 && g.isfinite().all().item<bool>(), $"{c.Name}: a parameter got no float64 gradient"));
    }
}

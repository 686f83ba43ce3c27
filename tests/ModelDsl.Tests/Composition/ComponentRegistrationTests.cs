using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Composition;

/// <summary>
/// Issue 23 §2: a module put inside another one keeps exactly its own state_dict. TorchSharp's register_module calls the
/// child's RegisterComponents, which registers every Module, Parameter and Tensor field under its field name (or
/// [ComponentName]) unless that name is registered already; a field named otherwise than its registration adds its
/// module a second time. Checked for every runtime module type (found by reflection; the table must cover them all) and
/// for a generated model of every block kind, held in a field of a user module that calls RegisterComponents and in a
/// Sequential.
/// </summary>
public class ComponentRegistrationTests
{
    /// <summary>How to build a module and run it on inputs of a floating-point type.</summary>
    private sealed record Case(Func<nn.Module> Create, Func<nn.Module, ScalarType, Tensor> Run);

    private static Case Unary(Func<nn.Module<Tensor, Tensor>> create, params long[] inputShape)
        => new(create, (m, type) => ((nn.Module<Tensor, Tensor>)m).forward(randn(inputShape, type)));

    private static Case Tokens(Func<nn.Module<Tensor, Tensor>> create, long vocabulary, params long[] inputShape)
        => new(create, (m, _) => ((nn.Module<Tensor, Tensor>)m).forward(randint(1, vocabulary, inputShape, ScalarType.Int64)));

    private static VectorizedDenseStack Stack() => new(2, new[]
    {
        VectorizedLayer.Dense(4, 5),
        VectorizedLayer.Activation(VectorizedLayerKind.ReLU, 5),
        VectorizedLayer.LayerNorm(5),
        VectorizedLayer.Dense(5, 3),
    });

    /// <summary>Every module type of the ModelDsl runtime (generic ones by their definition).</summary>
    private static readonly Dictionary<Type, Case> runtime = new()
    {
        [typeof(BatchNormalization)] = Unary(() => new BatchNormalization(4), 3, 4),
        [typeof(GroupNormalization)] = Unary(() => new GroupNormalization(2, 4), 3, 4, 5),
        [typeof(GaussianNoise)] = Unary(() => new GaussianNoise(0.1), 3, 4),
        [typeof(NoisyLinear)] = Unary(() => new NoisyLinear(nn.Linear(4, 3), 0.1), 3, 4),
        [typeof(WeightScalingDropout)] = Unary(() => new WeightScalingDropout(0.8), 3, 4),
        [typeof(SqueezeExcitation)] = Unary(() => new SqueezeExcitation(4, 2, SqueezeActivation.SiLU, SqueezeScale.Hardsigmoid), 2, 4, 3, 3),
        [typeof(StochasticDepth)] = Unary(() => new StochasticDepth(0.3), 3, 4),
        [typeof(ChannelSplit)] = Unary(() => new ChannelSplit(2, 1), 3, 4, 2, 2),
        [typeof(MaxPooling2D)] = Unary(() => new MaxPooling2D(3, 2, padding: 1, ceilMode: true), 2, 4, 5, 5),
        [typeof(ClassToken)] = Unary(() => new ClassToken(4), 2, 3, 4),
        [typeof(PositionEmbedding)] = Unary(() => new PositionEmbedding(3, 4), 2, 3, 4),
        [typeof(SelectToken)] = Unary(() => new SelectToken(1), 2, 3, 4),
        [typeof(ChannelDense)] = Unary(() => new ChannelDense(4, 6), 2, 4, 3, 3),
        [typeof(ChannelLayerNorm)] = Unary(() => new ChannelLayerNorm(4), 2, 4, 3, 3),
        [typeof(LayerScale)] = Unary(() => new LayerScale(new long[] { 4, 1, 1 }, 0.5), 2, 4, 3, 3),
        [typeof(ResidualBlock)] = Unary(() => new ResidualBlock(
            new (string, nn.Module<Tensor, Tensor>)[] { ("linear1", nn.Linear(4, 5)), ("relu", nn.ReLU()), ("linear2", nn.Linear(5, 5)) },
            shortcut: nn.Linear(4, 5, hasBias: false),
            activation: ("relu2", nn.ReLU())), 3, 4),
        [typeof(PatchEmbedding)] = Unary(() => new PatchEmbedding(1, 2, 6), 2, 1, 4, 4),
        [typeof(PositionalEncoding)] = Unary(() => new PositionalEncoding(10, 6, learned: true), 2, 5, 6),
        [typeof(Recurrent)] = Unary(() => new Recurrent(RecurrentKind.LSTM, 3, 5, layers: 2, returnSequences: true), 2, 4, 3),
        [typeof(SequenceConv1d)] = Unary(() => new SequenceConv1d(3, 4, 3, padding: 1), 2, 5, 3),
        [typeof(SequencePool1d)] = Unary(() => new SequencePool1d(true, 2, 2), 2, 6, 3),
        [typeof(GlobalAvgPool1d)] = Unary(() => new GlobalAvgPool1d(), 2, 5, 3),
        [typeof(TransformerEncoder)] = Unary(() => new TransformerEncoder(8, 2, 16, count: 2, dropout: 0), 2, 5, 8),
        [typeof(TransformerEncoderLayer)] = Unary(() => new TransformerEncoderLayer(8, 2, 16, dropout: 0), 2, 5, 8),
        [typeof(EnsembleAggregator)] = Unary(() => new EnsembleAggregator(3, Aggregation.WeightedMean), 3, 2, 4),
        [typeof(Ensemble<>)] = Unary(() => new Ensemble<ComposedPlain>(new[] { new ComposedPlain(1), new ComposedPlain(2) }, new EnsembleAggregator(2, Aggregation.Mean)), 3, 4),
        [typeof(VectorizedDenseStack)] = Unary(Stack, 3, 4),
        [typeof(VectorizedEnsemble)] = Unary(() => new VectorizedEnsemble(Stack(), new EnsembleAggregator(2, Aggregation.WeightedMean)), 3, 4),
        [typeof(TransformerDecoder)] = new(() => new TransformerDecoder(8, 2, 16, count: 2, dropout: 0),
            (m, type) => ((TransformerDecoder)m).forward(randn(new long[] { 2, 3, 8 }, type), randn(new long[] { 2, 4, 8 }, type))),
        [typeof(TransformerDecoderLayer)] = new(() => new TransformerDecoderLayer(8, 2, 16, dropout: 0),
            (m, type) => ((TransformerDecoderLayer)m).forward(randn(new long[] { 2, 3, 8 }, type), randn(new long[] { 2, 4, 8 }, type))),
        // Tied to an embedding outside it (in a model, its sibling), which must not become its child.
        [typeof(TiedLinear)] = new(() => new TiedLinear(4, 3, hasBias: true), (m, type) =>
        {
            var tied = (TiedLinear)m;
            tied.Tie(nn.Embedding(3, 4, dtype: type));
            return tied.forward(randn(new long[] { 2, 4 }, type));
        }),
        [typeof(RegularizedCrossEntropy)] = new(() => new RegularizedCrossEntropy(labelSmoothing: 0.1),
            (m, type) => ((RegularizedCrossEntropy)m).forward(randn(new long[] { 3, 4 }, type), tensor(new long[] { 0, 1, 3 }))),
    };

    /// <summary>A generated model of every block kind, and the generated ensembles of both forms.</summary>
    private static readonly Dictionary<string, Case> generated = new()
    {
        [nameof(BlockMlp)] = Unary(() => new BlockMlp(seed: 1), 3, 4),
        [nameof(BlockMlpEnsemble)] = Unary(() => new BlockMlpEnsemble(), 3, 4),
        [nameof(ComposedPlain)] = Unary(() => new ComposedPlain(seed: 2), 3, 4),
        [nameof(ComposedBlocks)] = Unary(() => new ComposedBlocks(seed: 3), 3, 4),
        [nameof(ComposedResidual)] = Unary(() => new ComposedResidual(seed: 4), 3, 5),
        [nameof(ComposedResidualEnsemble)] = Unary(() => new ComposedResidualEnsemble(), 3, 5),
        [nameof(ComposedTokens)] = Tokens(() => new ComposedTokens(seed: 5), 20, 3, 6),
        [nameof(ComposedRecurrent)] = Unary(() => new ComposedRecurrent(seed: 6), 3, 7, 3),
        [nameof(ComposedVectorized)] = Unary(() => new ComposedVectorized(seed: 7), 3, 4),
        [nameof(ComposedVectorizedEnsemble)] = Unary(() => new ComposedVectorizedEnsemble(), 3, 4),
    };

    public static TheoryData<string> RuntimeModules() => new(runtime.Keys.Select(t => t.Name));

    public static TheoryData<string> GeneratedModels() => new(generated.Keys);

    private static Case RuntimeCase(string name) => runtime.Single(c => c.Key.Name == name).Value;

    /// <summary>A user module as TorchSharp's samples write one: the child in a field, then RegisterComponents.</summary>
    private sealed class Holder : nn.Module
    {
#pragma warning disable IDE0052 // read by RegisterComponents through reflection
        private readonly nn.Module inner;
#pragma warning restore IDE0052

        public Holder(nn.Module inner) : base(nameof(Holder))
        {
            this.inner = inner;
            RegisterComponents();
        }
    }

    [Fact]
    public void Every_runtime_module_type_has_a_case()
    {
        var types = typeof(ResidualBlock).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsAbstract && typeof(nn.Module).IsAssignableFrom(t))
            .Select(t => t.IsGenericType ? t.GetGenericTypeDefinition() : t)
            .OrderBy(t => t.Name)
            .ToArray();
        Assert.Equal(types.Select(t => t.Name), runtime.Keys.OrderBy(t => t.Name).Select(t => t.Name));
    }

    [Theory]
    [MemberData(nameof(RuntimeModules))]
    public void A_runtime_module_keeps_its_state_dict_inside_other_modules(string type) => AssertComposes(RuntimeCase(type));

    [Theory]
    [MemberData(nameof(GeneratedModels))]
    public void A_generated_model_keeps_its_state_dict_inside_other_modules(string model) => AssertComposes(generated[model]);

    private static void AssertComposes(Case c)
    {
        using var scope = NewDisposeScope();
        nn.Module standalone = c.Create();
        string[] keys = Sorted(standalone.state_dict().Keys);
        string[] children = Sorted(standalone.named_modules().Select(m => m.name));
        long count = Count(standalone);

        nn.Module held = c.Create();
        var holder = new Holder(held);
        Assert.Equal(keys.Select(k => "inner." + k), Sorted(holder.state_dict().Keys));
        Assert.Equal(keys, Sorted(held.state_dict().Keys));
        // Modules without tensors (activations) are children too: the walk must not add them under a second name either.
        Assert.Equal(children, Sorted(held.named_modules().Select(m => m.name)));
        Assert.Equal(count, Count(holder));
        Assert.Equal(count, Count(held));

        if (c.Create() is nn.Module<Tensor, Tensor> unary)
        {
            var sequential = nn.Sequential(("inner", unary));
            Assert.Equal(keys.Select(k => "inner." + k), Sorted(sequential.state_dict().Keys));
            Assert.Equal(count, Count(sequential));
        }

        // Module.to writes the converted tensors back into fields by their component names: forward must see them.
        holder.to(ScalarType.Float64);
        Assert.All(holder.parameters(), p => Assert.Equal(ScalarType.Float64, p.dtype));
        Assert.Equal(ScalarType.Float64, c.Run(held, ScalarType.Float64).dtype);
        Assert.Equal(keys, Sorted(held.state_dict().Keys));
    }

    [Fact]
    public void The_reported_example_has_one_key_per_tensor_standalone_and_in_its_ensemble()
    {
        using var scope = NewDisposeScope();
        string[] member = { "head.dense.bias", "head.dense.weight" };
        Assert.Equal(member, Sorted(new BlockMlp(seed: 1).state_dict().Keys));
        var ensemble = new BlockMlpEnsemble();
        Assert.All(ensemble.Members, m => Assert.Equal(member, Sorted(m.state_dict().Keys)));
        Assert.Equal(new[] { 0, 1 }.SelectMany(i => member.Select(k => $"members.{i}.{k}")), Sorted(ensemble.state_dict().Keys));
        Assert.Equal(2 * (4 * 3 + 3), Count(ensemble));
    }

    public static TheoryData<string> LoopEnsembles() => new() { nameof(BlockMlpEnsemble), nameof(ComposedResidualEnsemble) };

    [Theory]
    [MemberData(nameof(LoopEnsembles))]
    public void A_standalone_models_state_dict_loads_strictly_into_an_ensemble_member(string ensembleName)
    {
        using var scope = NewDisposeScope();
        var (standalone, ensemble, input) = ensembleName == nameof(BlockMlpEnsemble)
            ? ((nn.Module<Tensor, Tensor>)new BlockMlp(seed: 40), (nn.Module<Tensor, Tensor>)new BlockMlpEnsemble(), randn(5, 4))
            : (new ComposedResidual(seed: 40), new ComposedResidualEnsemble(), randn(5, 5));
        // The ensemble inside a user module too: the registration walk must not add keys to its members.
        _ = new Holder(ensemble);
        nn.Module<Tensor, Tensor> member = Members(ensemble)[1];

        member.load_state_dict(standalone.state_dict(), strict: true);
        standalone.eval();
        member.eval();
        Assert.True(member.forward(input).allclose(standalone.forward(input), rtol: 0, atol: 0));

        // And back: a member's state_dict is a standalone model's.
        var copy = ensembleName == nameof(BlockMlpEnsemble) ? (nn.Module<Tensor, Tensor>)new BlockMlp(seed: 41) : new ComposedResidual(seed: 41);
        copy.load_state_dict(Members(ensemble)[0].state_dict(), strict: true);
        copy.eval();
        Members(ensemble)[0].eval();
        Assert.True(copy.forward(input).allclose(Members(ensemble)[0].forward(input), rtol: 0, atol: 0));
    }

    private static IReadOnlyList<nn.Module<Tensor, Tensor>> Members(nn.Module<Tensor, Tensor> ensemble) => ensemble switch
    {
        BlockMlpEnsemble e => e.Members,
        ComposedResidualEnsemble e => e.Members,
        _ => throw new ArgumentException(ensemble.GetType().Name),
    };

    private static string[] Sorted(IEnumerable<string> names) => names.OrderBy(k => k, StringComparer.Ordinal).ToArray();

    private static long Count(nn.Module module) => module.parameters().Sum(p => p.numel());
}

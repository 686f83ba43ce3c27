using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Planning.Layers;

namespace ModelDsl.Generator.Planning;

/// <summary>
/// The table of layer rules by attribute name: a new layer is a new rule file (or, for an activation without options,
/// an ActivationRule line) plus one line here. docs/contributing.md, "Add a layer".
/// </summary>
internal static class LayerRules
{
    private static readonly Dictionary<string, LayerRule> byName = new LayerRule[]
    {
        new DenseRule(),
        new RecurrentRule("LSTM"),
        new RecurrentRule("GRU"),
        new PatchEmbeddingRule(),
        new PositionalEncodingRule(),
        new TransformerEncoderRule(),
        new TransformerDecoderRule(),
        new GlobalAvgPool1dRule(),
        new FlattenRule(),
        new BatchNormRule(),
        new LayerNormRule(),
        new DropoutRule(),
        new GaussianNoiseRule(),
        new ActivationRule("ReLU", "max(0, x)", ActivationGain.Rectifier, inPlace: true, commutesWithMaxPool: true, rectifiesAtZero: true),
        new LeakyReLURule(),
        new ActivationRule("Tanh", "tanh(x)", ActivationGain.Saturating, OutputKind.Bounded),
        new ActivationRule("Sigmoid", "1 / (1 + e^−x)", ActivationGain.Saturating, OutputKind.Bounded),
        new ActivationRule("GELU", "x·Φ(x)", ActivationGain.SmoothRectifier),
        new ActivationRule("SiLU", "x·σ(x)", ActivationGain.SmoothRectifier, vectorizable: false),
        new ActivationRule("ReLU6", "min(max(0, x), 6)", ActivationGain.Rectifier, vectorizable: false, inPlace: true, commutesWithMaxPool: true),
        new ActivationRule("Hardswish", "x·min(max(x + 3, 0), 6)/6", ActivationGain.SmoothRectifier, vectorizable: false),
        new ActivationRule("Hardsigmoid", "min(max(x/6 + 1/2, 0), 1)", ActivationGain.Saturating, OutputKind.Bounded, vectorizable: false),
        new ActivationRule("Mish", "x·tanh(softplus(x))", ActivationGain.SmoothRectifier, vectorizable: false),
        new ELURule(),
        new ActivationRule("Softmax", "probabilities over the last dimension", ActivationGain.Output, OutputKind.Probabilities),
        new ActivationRule("LogSoftmax", "log-probabilities over the last dimension", ActivationGain.Output, OutputKind.LogProbabilities),
        new Conv2dRule(),
        new ConvTranspose2dRule(),
        new MaxPool2dRule(),
        new AvgPool2dRule(),
        new GlobalAvgPoolRule(),
        AdaptivePool2dRule.Average,
        AdaptivePool2dRule.Maximum,
        new UpsampleRule(),
        new SqueezeExcitationRule(),
        new StochasticDepthRule(),
        new ChannelShuffleRule(),
        new ChannelSplitRule(),
        new ClassTokenRule(),
        new PositionEmbeddingRule(),
        new SelectTokenRule(),
        new ChannelDenseRule(),
        new LayerScaleRule(),
        new InstanceNormRule(),
        new GroupNormRule(),
        new Dropout2dRule(),
        new EmbeddingRule(),
        new Conv1dRule(),
        new Pool1dRule(maximum: true),
        new Pool1dRule(maximum: false),
    }.ToDictionary(r => r.Name);

    public static LayerRule? Find(string name) => byName.TryGetValue(name, out LayerRule? rule) ? rule : null;

    /// <summary>Every rule (for the tests that tie rules to attributes).</summary>
    public static IEnumerable<LayerRule> All => byName.Values;
}

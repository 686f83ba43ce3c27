using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Planning.Layers;

namespace ModelDsl.Generator.Planning;

/// <summary>The table of layer rules by attribute name. A new layer is a new rule file plus one line here.</summary>
internal static class LayerRules
{
    private static readonly Dictionary<string, LayerRule> byName = new LayerRule[]
    {
        new DenseRule(),
        new FlattenRule(),
        new BatchNormRule(),
        new LayerNormRule(),
        new DropoutRule(),
        new GaussianNoiseRule(),
        new ActivationRule("ReLU"),
        new ActivationRule("LeakyReLU"),
        new ActivationRule("Tanh"),
        new ActivationRule("Sigmoid"),
        new ActivationRule("GELU"),
        new ActivationRule("Softmax"),
        new ActivationRule("LogSoftmax"),
        new Conv2dRule(),
        new MaxPool2dRule(),
        new AvgPool2dRule(),
        new GlobalAvgPoolRule(),
        new InstanceNormRule(),
        new GroupNormRule(),
        new Dropout2dRule(),
    }.ToDictionary(r => r.Name);

    public static LayerRule? Find(string name) => byName.TryGetValue(name, out LayerRule? rule) ? rule : null;
}

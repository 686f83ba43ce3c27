using System.Collections.Immutable;

namespace ModelDsl.Generator.Planning;

/// <summary>The options every layer with weights shares (ParametrizedLayerAttribute): initialization and regularization, with their defaults.</summary>
internal static class ParametrizedOptions
{
    public static readonly ImmutableDictionary<string, object> Defaults = new System.Collections.Generic.Dictionary<string, object>
    {
        ["Init"] = "Default",
        ["InitGain"] = 1.0,
        ["InitMode"] = "FanIn",
        ["InitValue"] = 0.0,
        ["InitMean"] = 0.0,
        ["InitStd"] = 0.01,
        ["InitLow"] = -0.05,
        ["InitHigh"] = 0.05,
        ["BiasInit"] = "Default",
        ["BiasValue"] = 0.0,
        ["WeightNoise"] = 0.0,
        ["MaxNorm"] = 0.0,
    }.ToImmutableDictionary();

    /// <summary>The shared defaults plus a rule's own.</summary>
    public static ImmutableDictionary<string, object> With(params (string Option, object Default)[] own)
    {
        ImmutableDictionary<string, object> all = Defaults;
        foreach (var (option, value) in own) all = all.SetItem(option, value);
        return all;
    }
}

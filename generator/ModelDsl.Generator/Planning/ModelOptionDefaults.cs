using System.Collections.Generic;
using System.Collections.Immutable;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning;

/// <summary>
/// The defaults of the class-level option attributes ([Ensemble], [WeightDecay]), stated once on the generator's side as
/// a layer rule states its own; RuleCatalogTests checks them against the attributes' property defaults.
/// </summary>
internal static class ModelOptionDefaults
{
    public static readonly ImmutableDictionary<string, ImmutableDictionary<string, object>> ByAttribute = new Dictionary<string, ImmutableDictionary<string, object>>
    {
        ["Ensemble"] = new Dictionary<string, object> { ["Aggregation"] = "Mean", ["Vectorized"] = false }.ToImmutableDictionary(),
        ["WeightDecay"] = new Dictionary<string, object> { ["L2"] = 0.0, ["L1"] = 0.0, ["IncludeBias"] = false, ["IncludeNorm"] = false, ["IncludeEmbedding"] = false }.ToImmutableDictionary(),
    }.ToImmutableDictionary();

    public static double Number(AttributeDeclaration option, string name) => option.Number(name, (double)ByAttribute[option.Name][name]);

    public static bool Boolean(AttributeDeclaration option, string name) => option.Boolean(name, (bool)ByAttribute[option.Name][name]);

    public static string Enum(AttributeDeclaration option, string name) => option.EnumMember(name, (string)ByAttribute[option.Name][name]);
}

using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning;

/// <summary>
/// Weight decay per layer group, weight noise and max-norm (chapter 5.4, 5.9): reads the class's [WeightDecay]
/// declarations and each parametrized layer's Group, WeightNoise and MaxNorm, after the layers are planned and named.
/// A parametrized layer without Group is in the default group; a normalization layer joins the group of the
/// parametrized layer before it in its block (the one it normalizes), else the default group.
/// </summary>
internal static class RegularizationPlanner
{
    public const string DefaultGroup = "default";

    private sealed class Declared
    {
        public Declared(AttributeDeclaration attribute, string name)
        {
            Attribute = attribute;
            Name = name;
        }

        public AttributeDeclaration Attribute { get; }
        public string Name { get; }
        public List<string> Parameters { get; } = new();
        public bool Used { get; set; }
        public bool IncludeBias => ModelOptionDefaults.Boolean(Attribute, "IncludeBias");
        public bool IncludeNorm => ModelOptionDefaults.Boolean(Attribute, "IncludeNorm");
        public bool IncludeEmbedding => ModelOptionDefaults.Boolean(Attribute, "IncludeEmbedding");
    }

    /// <summary>
    /// Returns the regularization plan (null when nothing is declared) and wraps Dense layers with WeightNoise in
    /// ModelDsl.NoisyLinear in <paramref name="blocks"/>; each layer's group is its <see cref="PlannedLayer.Source"/>'s.
    /// </summary>
    public static RegularizationPlan? Plan(ModelDeclaration model, List<PlannedBlock> blocks, List<DiagnosticInfo> diagnostics)
    {
        void Report(DiagnosticDescriptor d, LocationInfo? at, params string[] args) => diagnostics.Add(new DiagnosticInfo(d.Id, at, args.ToEquatableArray()));

        var declared = new Dictionary<string, Declared>(System.StringComparer.Ordinal);
        var order = new List<Declared>();
        foreach (AttributeDeclaration attribute in model.ModelOptions.Where(o => o.Name == "WeightDecay"))
        {
            string name = attribute.Text("Group") ?? DefaultGroup;
            string shown = Spelled(name);
            bool valid = true;
            foreach (string strength in new[] { "L2", "L1" })
            {
                double value = ModelOptionDefaults.Number(attribute, strength);
                if (!(value >= 0))
                {
                    Report(Descriptors.NegativeRegularization, attribute.Location, shown, strength, Invariant.Short(value));
                    valid = false;
                }
            }
            if (declared.ContainsKey(name))
            {
                Report(Descriptors.DuplicateDecayGroup, attribute.Location, name, model.Type.TypeName);
                continue;
            }
            if (!valid) continue;
            var group = new Declared(attribute, name);
            declared[name] = group;
            order.Add(group);
        }

        var maxNorms = new List<MaxNormPlan>();
        for (int b = 0; b < blocks.Count; b++)
        {
            PlannedBlock block = blocks[b];
            var layers = block.Layers.ToList();
            string? previousGroup = null;
            for (int l = 0; l < layers.Count; l++)
            {
                PlannedLayer layer = layers[l];
                if (layer.Parameters == 0 || layer.Source is not { } source) continue;
                string path = block.ChildName is null ? layer.Name : block.ChildName + "." + layer.Name;

                if (layer.Role == LayerRole.Normalization)
                {
                    string normGroup = previousGroup ?? DefaultGroup;
                    if (declared.TryGetValue(normGroup, out Declared? owner))
                    {
                        owner.Used = true;
                        if (owner.IncludeNorm) owner.Parameters.AddRange(new[] { path + ".weight", path + ".bias" });
                    }
                    continue;
                }
                if (layer.Role is not (LayerRole.Weights or LayerRole.Embedding)) continue;

                string? named = source.Text("Group");
                string groupName = named ?? DefaultGroup;
                previousGroup = groupName;
                if (declared.TryGetValue(groupName, out Declared? group))
                {
                    group.Used = true;
                    if (layer.Role == LayerRole.Embedding)
                    {
                        if (group.IncludeEmbedding) group.Parameters.Add(path + ".weight");
                    }
                    else if (layer.Decayed is { } decayed)
                    {
                        // Recurrent and attention layers: several weight matrices, their biases, and norms inside.
                        group.Parameters.AddRange(decayed.Weights.Select(n => path + "." + n));
                        if (group.IncludeBias) group.Parameters.AddRange(decayed.Biases.Select(n => path + "." + n));
                        if (group.IncludeNorm) group.Parameters.AddRange(decayed.Norms.Select(n => path + "." + n));
                    }
                    else
                    {
                        group.Parameters.Add(path + ".weight");
                        if (group.IncludeBias && source.Boolean("Bias", (bool)Default(source, "Bias"))) group.Parameters.Add(path + ".bias");
                    }
                }
                else if (named is not null)
                {
                    Report(Descriptors.UndeclaredDecayGroup, source.Location, layer.Display, named, model.Type.TypeName);
                }
                if (!LayerRules.Find(source.Name)!.Defaults.ContainsKey("WeightNoise")) continue; // no WeightNoise or MaxNorm options

                double noise = source.Number("WeightNoise", (double)Default(source, "WeightNoise"));
                if (!(noise >= 0)) Report(Descriptors.NegativeRegularization, source.Location, layer.Display, "WeightNoise", Invariant.Short(noise));
                else if (noise > 0 && !layer.SupportsWeightNoise) Report(Descriptors.WeightNoiseNotSupported, source.Location, layer.Display);
                else if (noise > 0)
                {
                    layers[l] = layer with
                    {
                        ModuleType = "global::ModelDsl.NoisyLinear",
                        Construction = CallPlan.New("global::ModelDsl.NoisyLinear", CallArgument.Call(layer.Construction), CallArgument.Double(noise, "std")),
                        Comment = layer.Comment + $"; weight noise N(0, {Invariant.Short(noise)}²) in training",
                    };
                }

                double maxNorm = source.Number("MaxNorm", (double)Default(source, "MaxNorm"));
                if (!(maxNorm >= 0)) Report(Descriptors.NegativeRegularization, source.Location, layer.Display, "MaxNorm", Invariant.Short(maxNorm));
                else if (maxNorm > 0) maxNorms.Add(new MaxNormPlan(path + ".weight", maxNorm));
            }
            blocks[b] = block with { Layers = layers.ToEquatableArray() };
        }

        foreach (Declared group in order.Where(g => !g.Used))
        {
            Report(Descriptors.UnusedDecayGroup, group.Attribute.Location, Spelled(group.Name), model.Type.TypeName,
                group.Name == DefaultGroup
                    ? "every parametrized layer names its own Group; remove it or drop Group from the layers it should cover"
                    : $"no layer has Group = \"{group.Name}\"; add it to the layers it should cover or remove the declaration");
        }

        if (order.Count == 0 && maxNorms.Count == 0) return null;
        return new RegularizationPlan(
            order.Select(g => new DecayGroupPlan(g.Name, ModelOptionDefaults.Number(g.Attribute, "L2"), ModelOptionDefaults.Number(g.Attribute, "L1"), g.Parameters.ToEquatableArray())).ToEquatableArray(),
            maxNorms.ToEquatableArray());
    }

    /// <summary>A layer option's default, as its rule states it (ParametrizedOptions for every layer with weights).</summary>
    private static object Default(AttributeDeclaration layer, string option) => LayerRules.Find(layer.Name)!.Defaults[option];

    private static string Spelled(string group) => group == DefaultGroup ? "[WeightDecay] (the default group)" : $"[WeightDecay(\"{group}\")]";
}

using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning;

/// <summary>
/// Reads [Ensemble(k, …)] on a planned model: validates k, the aggregation against the model's output and fixed weights, and
/// decides whether the members can run vectorized. Returns null (and reports why) when no ensemble is generated.
/// </summary>
internal static class EnsemblePlanner
{
    public const int MinMembers = 2;
    public const int MaxMembers = 64;
    public const int AdvisedMembers = 20;

    public static EnsemblePlan? Plan(ModelDeclaration model, ModelPlan plan, List<DiagnosticInfo> diagnostics)
    {
        AttributeDeclaration? ensemble = model.ModelOptions.FirstOrDefault(o => o.Name == "Ensemble");
        if (ensemble is null) return null;
        void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor d, params string[] args) => diagnostics.Add(new DiagnosticInfo(d.Id, ensemble.Location, args.ToEquatableArray()));

        double k = ensemble.Number("Members", 0);
        if (!(k >= MinMembers && k <= MaxMembers))
        {
            Report(Descriptors.EnsembleSize, model.Type.TypeName, Invariant.Short(k));
            return null;
        }
        int members = (int)k;
        if (members > AdvisedMembers) Report(Descriptors.LargeEnsemble, Invariant.Short(members));

        string aggregation = ensemble.EnumMember("Aggregation", "Mean");
        string output = OutputKind(plan);
        if (aggregation is "SoftVote" or "MajorityVote")
        {
            string? problem = plan.OutputShape.Count != 1 ? $"its output {Shapes.Format(plan.OutputShape)} is not a vector of class scores [B, C]"
                : plan.OutputShape[0] < 2 ? $"its output {Shapes.Format(plan.OutputShape)} has one unit, a regression value or a single logit, not scores for two or more classes"
                : output == "Bounded" ? $"it ends in {LastLayer(plan).Display}, whose units are independent values, not scores of competing classes"
                : null;
            if (problem is not null)
            {
                Report(Descriptors.AggregationDoesNotFit, aggregation, model.Type.TypeName, problem);
                return null;
            }
        }

        EquatableArray<double> weights = EquatableArray<double>.Empty;
        if (ensemble.Find("Weights") is { } given && given.Kind == ArgumentKind.Array)
        {
            string? problem = aggregation != "WeightedMean" ? $"they are only used by Aggregation.WeightedMean, not {aggregation}"
                : given.Items.Count != members ? $"{members} members need {members} weights, but {given.Items.Count} are given"
                : given.Items.Any(w => !(w >= 0)) ? "a weight is negative"
                : given.Items.Sum() <= 0 ? "they sum to zero"
                : null;
            if (problem is not null)
            {
                Report(Descriptors.EnsembleWeights, problem);
                return null;
            }
            weights = given.Items;
        }

        bool vectorized = ensemble.Boolean("Vectorized", false);
        var layers = EquatableArray<string>.Empty;
        if (vectorized)
        {
            string? blocker = VectorizedLayers(model, out List<string> described);
            if (blocker is null) layers = described.ToEquatableArray();
            else
            {
                Report(Descriptors.NotVectorizable, model.Type.TypeName, blocker);
                vectorized = false;
            }
        }

        string? seed = ensemble.Find("Seed") is { Kind: ArgumentKind.Number } s ? s.Text ?? Invariant.Short(s.Number) : null;
        return new EnsemblePlan(plan.Type.TypeName + "Ensemble", members, aggregation,
            output == "Bounded" ? "Logits" : output, seed, weights, vectorized, layers);
    }

    private static PlannedLayer LastLayer(ModelPlan plan) => plan.Blocks.Last(b => b.Layers.Count > 0).Layers.Last();

    /// <summary>What the model's last layer makes of its output: Probabilities, LogProbabilities, Bounded (sigmoid/tanh) or Logits.</summary>
    private static string OutputKind(ModelPlan plan)
    {
        string type = LastLayer(plan).ModuleType;
        return type.EndsWith(".LogSoftmax", System.StringComparison.Ordinal) ? "LogProbabilities"
            : type.EndsWith(".Softmax", System.StringComparison.Ordinal) ? "Probabilities"
            : type.EndsWith(".Sigmoid", System.StringComparison.Ordinal) || type.EndsWith(".Tanh", System.StringComparison.Ordinal) ? "Bounded"
            : "Logits";
    }

    /// <summary>
    /// Describes the model as VectorizedLayer expressions, walking the declared layers in order (the planner has already
    /// validated them). Returns the first layer that cannot be vectorized, or a reason, or null when all can.
    /// </summary>
    private static string? VectorizedLayers(ModelDeclaration model, out List<string> layers)
    {
        const string v = "global::ModelDsl.VectorizedLayer";
        const string kind = "global::ModelDsl.VectorizedLayerKind";
        layers = new List<string>();
        if (model.HasUserForward) return "the class writes its own forward, so the order of its blocks is not known";
        if (model.InputShape.Count != 1) return $"its input {Shapes.Format(model.InputShape)} is not a flat vector";
        long width = model.InputShape[0];
        foreach (AttributeDeclaration layer in model.Blocks.SelectMany(b => b.Layers))
        {
            switch (layer.Name)
            {
                case "Dense":
                    long units = (long)layer.Number("Units", 0);
                    layers.Add($"{v}.Dense({width}, {units}, bias: {(layer.Boolean("Bias", true) ? "true" : "false")})");
                    width = units;
                    string inline = layer.EnumMember("Activation", "None");
                    if (inline != "None") layers.Add($"{v}.Activation({kind}.{inline}, {width}{(inline == "LeakyReLU" ? ", slope: 0.01" : "")})");
                    break;
                case "ReLU" or "Tanh" or "Sigmoid" or "GELU" or "Softmax" or "LogSoftmax":
                    layers.Add($"{v}.Activation({kind}.{layer.Name}, {width})");
                    break;
                case "LeakyReLU":
                    layers.Add($"{v}.Activation({kind}.LeakyReLU, {width}, slope: {Invariant.Double(Activations.Slope(layer))})");
                    break;
                case "Dropout":
                    bool hasRate = layer.Has("Rate");
                    double keep = hasRate ? 1 - layer.Number("Rate", 0) : layer.Number("Keep", 1);
                    layers.Add(layer.EnumMember("Mode", "Inverted") == "WeightScaling"
                        ? $"{v}.WeightScalingDropout({width}, keep: {Invariant.Double(keep)})"
                        : $"{v}.Dropout({width}, rate: {Invariant.Double(hasRate ? layer.Number("Rate", 0) : 1 - keep)})");
                    break;
                case "LayerNorm":
                    layers.Add($"{v}.LayerNorm({width}, eps: {Invariant.Double(layer.Number("Eps", 1e-5))}, affine: {(layer.Boolean("Affine", true) ? "true" : "false")})");
                    break;
                default:
                    return $"[{layer.Name}] cannot be vectorized (only Dense, activations, Dropout and LayerNorm can)";
            }
        }
        return null;
    }
}

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
        if (plan.Graph is { } graph && (graph.Inputs.Count > 1 || graph.HasOutputRecord))
        {
            // Members vote on one tensor from one input; a model of several inputs or outputs has no such thing to average.
            Report(Descriptors.GraphNotSupported, model.Type.TypeName, $"[Ensemble] averages one output of one input, and this model has {graph.Inputs.Count} input(s) and {graph.Outputs.Count} outputs; ensemble a single-input, single-output model");
            return null;
        }
        int members = (int)k;
        if (members > AdvisedMembers) Report(Descriptors.LargeEnsemble, Invariant.Short(members));

        string aggregation = ModelOptionDefaults.Enum(ensemble, "Aggregation");
        OutputKind output = LastLayer(plan)?.Output ?? OutputKind.Logits;
        if (aggregation is "SoftVote" or "MajorityVote")
        {
            string? problem = plan.OutputShape.Count != 1 ? $"its output {Shapes.Format(plan.OutputShape)} is not a vector of class scores [B, C]"
                : plan.OutputShape[0] < 2 ? $"its output {Shapes.Format(plan.OutputShape)} has one unit, a regression value or a single logit, not scores for two or more classes"
                : output == OutputKind.Bounded ? $"it ends in {LastLayer(plan)!.Display}, whose units are independent values, not scores of competing classes"
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

        bool vectorized = ModelOptionDefaults.Boolean(ensemble, "Vectorized");
        var layers = EquatableArray<VectorizedLayerPlan>.Empty;
        if (vectorized)
        {
            string? blocker = VectorizedLayers(model, plan, out List<VectorizedLayerPlan> described);
            if (blocker is null) layers = described.ToEquatableArray();
            else
            {
                Report(Descriptors.NotVectorizable, model.Type.TypeName, blocker);
                vectorized = false;
            }
        }

        long? seed = ensemble.Find("Seed") is { Kind: ArgumentKind.Number, Text: { } exact } ? long.Parse(exact, System.Globalization.CultureInfo.InvariantCulture) : null;
        return new EnsemblePlan(plan.Type.TypeName + "Ensemble", members, aggregation,
            output == OutputKind.Bounded ? OutputKind.Logits : output, seed, weights, vectorized, layers);
    }

    /// <summary>
    /// The layer that makes the output: the last one of the model, or of a graph's output block; null when that block
    /// is a join with no layers of its own (its output is then taken as logits).
    /// </summary>
    private static PlannedLayer? LastLayer(ModelPlan plan)
    {
        if (plan.Graph is { } graph)
        {
            int node = graph.Nodes.Select((n, i) => (n, i)).Last(p => p.n.Local == graph.Outputs[0].Node).i;
            return plan.Blocks[node].Layers.LastOrDefault();
        }
        return plan.Blocks.Last(b => b.Layers.Count > 0).Layers.Last();
    }

    /// <summary>
    /// The model as the vectorized stack runs it: every planned layer's vectorized form (set by its rule), in order.
    /// Returns why it cannot be vectorized (the first layer without a form, a user forward, an input that is not flat), or null.
    /// </summary>
    private static string? VectorizedLayers(ModelDeclaration model, ModelPlan plan, out List<VectorizedLayerPlan> layers)
    {
        layers = new List<VectorizedLayerPlan>();
        if (model.HasUserForward) return "the class writes its own forward, so the order of its blocks is not known";
        if (plan.Graph is not null) return "it is a graph model (its blocks branch or merge), and the vectorized stack runs one chain of layers";
        if (model.InputShape.Count != 1) return $"its input {Shapes.Format(model.InputShape)} is not a flat vector";
        if (plan.Blocks.FirstOrDefault(b => b.Residual is not null) is { } residual)
            return $"the block '{residual.MemberName}' is residual (branch(x) + shortcut(x)), and the vectorized stack runs one chain of layers";
        foreach (PlannedLayer layer in plan.Blocks.SelectMany(b => b.Layers))
        {
            if (layer.Vectorized is null) return $"[{layer.Kind}] cannot be vectorized (only Dense, activations, Dropout and LayerNorm can)";
            layers.Add(layer.Vectorized);
        }
        return null;
    }
}

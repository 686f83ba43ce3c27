using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning;

/// <summary>
/// The state_dict a generated model (and its ensemble) has, with full keys, from the tensors each layer rule planned:
/// a class-level layer's keys are its own (<c>conv1.weight</c>), a block's are under its child name, and a layer's name
/// already holds its path inside a residual block or template use (<c>stage1.0.conv1</c>, <c>inception.branch1.conv</c>).
/// </summary>
internal static class StateDictPlan
{
    /// <summary>The model's tensors, in declaration order.</summary>
    public static IEnumerable<PlannedTensor> Of(ModelPlan plan)
        => from block in plan.Blocks
           from layer in block.Layers
           from tensor in layer.Tensors
           select tensor.Under(block.ChildName is null ? layer.Name : block.ChildName + "." + layer.Name);

    /// <summary>
    /// The {Model}Ensemble's tensors: each member's under <c>members.{i}</c> (the loop form) or the stacked weights under
    /// <c>stack</c> (the vectorized form), then the aggregator's learned or fixed weights; empty without [Ensemble].
    /// </summary>
    public static IEnumerable<PlannedTensor> OfEnsemble(ModelPlan plan)
    {
        if (plan.Ensemble is not { } e) yield break;
        if (e.Vectorized)
        {
            for (int j = 0; j < e.VectorizedLayers.Count; j++)
            {
                VectorizedLayerPlan layer = e.VectorizedLayers[j];
                if (layer.Form == VectorizedForm.Dense)
                {
                    yield return PlannedTensor.Float($"stack.layer{j}_weight", e.Members, layer.Width, layer.Units);
                    if (layer.Bias) yield return PlannedTensor.Float($"stack.layer{j}_bias", e.Members, 1, layer.Units);
                }
                else if (layer.Form == VectorizedForm.LayerNorm && layer.Bias)
                {
                    yield return PlannedTensor.Float($"stack.layer{j}_weight", e.Members, 1, layer.Width);
                    yield return PlannedTensor.Float($"stack.layer{j}_bias", e.Members, 1, layer.Width);
                }
            }
        }
        else
        {
            var member = Of(plan).ToList();
            for (int i = 0; i < e.Members; i++)
            {
                foreach (PlannedTensor tensor in member) yield return tensor.Under($"members.{i}");
            }
        }
        if (e.Aggregation == "WeightedMean") yield return PlannedTensor.Float(e.Weights.Count == 0 ? "aggregator.weight_logits" : "aggregator.weights", e.Members);
    }
}

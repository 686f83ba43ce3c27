using System.Linq;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Emit;

/// <summary>
/// Writes the members of a model with [WeightDecay] groups or MaxNorm constraints: data tables computed at compile time
/// and one-line members calling the runtime (ModelDsl.Penalties, ModelDsl.MaxNorm). Writes nothing for other models.
/// </summary>
internal static class RegularizationEmitter
{
    /// <summary>The extra interfaces for the class header, each with a leading ", ".</summary>
    public static string Interfaces(ModelPlan plan)
    {
        RegularizationPlan? r = plan.Regularization;
        if (r is null) return "";
        return (r.Groups.Count > 0 ? ", global::ModelDsl.IWeightDecayModel" : "")
             + (r.MaxNorms.Count > 0 ? ", global::ModelDsl.IConstrainedModel" : "");
    }

    public static void Write(SourceWriter w, ModelPlan plan)
    {
        RegularizationPlan? r = plan.Regularization;
        if (r is null) return;
        if (r.Groups.Count > 0) WriteWeightDecay(w, r);
        if (r.MaxNorms.Count > 0) WriteMaxNorm(w, r);
    }

    private static void WriteWeightDecay(SourceWriter w, RegularizationPlan r)
    {
        w.Line("/// <summary>The [WeightDecay] groups and the parameters each decays (biases and norm parameters only when the group includes them).</summary>")
         .Line("private static readonly global::ModelDsl.WeightDecayGroup[] weightDecayGroups =")
         .OpenBrace();
        foreach (DecayGroupPlan group in r.Groups)
        {
            string names = group.Parameters.Count == 0 ? "global::System.Array.Empty<string>()" : "new[] { " + string.Join(", ", group.Parameters.Select(CSharp.String)) + " }";
            w.Line($"new({CSharp.String(group.Name)}, L2: {CSharp.Double(group.L2)}, L1: {CSharp.Double(group.L1)}, {names}),");
        }
        w.Close(";").Line()
         .Line("/// <summary>The weight-decay term Σ_groups (λ2/2)·‖w‖² + λ1·‖w‖₁ (chapter 5.4): add it to the data loss.</summary>")
         .Line("public global::TorchSharp.torch.Tensor Penalty() => global::ModelDsl.Penalties.Penalty(this, weightDecayGroups);")
         .Line()
         .Line("/// <inheritdoc/>")
         .Line("public global::System.Collections.Generic.IReadOnlyList<global::ModelDsl.ParameterGroup> ParameterGroups() => global::ModelDsl.Penalties.ParameterGroups(this, weightDecayGroups);")
         .Line()
         .Line("/// <inheritdoc/>")
         .Line("public void AddPenaltyGradients() => global::ModelDsl.Penalties.AddGradients(this, weightDecayGroups);")
         .Line();
    }

    private static void WriteMaxNorm(SourceWriter w, RegularizationPlan r)
    {
        w.Line("/// <summary>Max-norm constraints (MaxNorm = c): each unit's incoming weight vector is kept at L2 norm ≤ c.</summary>")
         .Line("private static readonly global::ModelDsl.MaxNormConstraint[] maxNormConstraints =")
         .OpenBrace();
        foreach (MaxNormPlan constraint in r.MaxNorms) w.Line($"new({CSharp.String(constraint.Parameter)}, {CSharp.Double(constraint.Max)}),");
        w.Close(";").Line()
         .Line("/// <summary>Applies the max-norm constraints; call it after each optimizer step (or ModelDsl.MaxNorm.Apply(model)).</summary>")
         .Line("public void ApplyConstraints() => global::ModelDsl.MaxNorm.Apply(this, maxNormConstraints);")
         .Line();
    }
}

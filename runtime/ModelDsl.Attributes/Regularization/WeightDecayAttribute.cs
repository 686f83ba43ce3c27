using System;

namespace ModelDsl;

/// <summary>
/// Weight decay for one layer group (chapter 5.4): Ĵ(w) = J(w) + Σ_i (λ2_i/2)·‖w_i‖² + λ1_i·‖w_i‖₁.
/// <c>[WeightDecay("body", L2 = 1e-4)]</c> declares the group <c>"body"</c> that layers join with <c>Group = "body"</c>;
/// <c>[WeightDecay(L2 = 1e-4)]</c> without a name declares the default group <see cref="DefaultGroup"/>, which holds
/// every parametrized layer without a <c>Group</c>. A normalization layer belongs to the group of the parametrized
/// layer before it in the same block (the one it normalizes), or to the default group. Biases and normalization
/// parameters are excluded unless the group includes them, and so are embedding tables. The model then implements <c>IWeightDecayModel</c>:
/// <c>Penalty()</c> for the loss (coupled form) and <c>ParameterGroups()</c> for optimizers (per-group weight_decay = L2).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class WeightDecayAttribute : Attribute
{
    /// <summary>The name of the group of layers without a <c>Group</c>.</summary>
    public const string DefaultGroup = "default";

    /// <summary>Declares the default group (layers without <c>Group</c>).</summary>
    public WeightDecayAttribute() => Group = DefaultGroup;

    /// <summary>Declares the named group <paramref name="group"/>.</summary>
    public WeightDecayAttribute(string group) => Group = group;

    /// <summary>The group's name; <see cref="DefaultGroup"/> for the default group.</summary>
    public string Group { get; }

    /// <summary>λ2 of the L2 term (λ2/2)·‖w‖² (≥ 0; the Gaussian prior, 5.4.2). Also the optimizer group's weight_decay.</summary>
    public double L2 { get; set; }

    /// <summary>λ1 of the L1 term λ1·‖w‖₁ (≥ 0; the Laplace prior, gives sparse weights, 5.4.3). Only in <c>Penalty()</c>.</summary>
    public double L1 { get; set; }

    /// <summary>Also decay the biases of this group's layers (default false).</summary>
    public bool IncludeBias { get; set; }

    /// <summary>Also decay the scale γ and shift β of this group's normalization layers (default false).</summary>
    public bool IncludeNorm { get; set; }

    /// <summary>Also decay the tables of this group's <c>[Embedding]</c> layers (default false: rare tokens' rows would shrink toward zero between their few updates).</summary>
    public bool IncludeEmbedding { get; set; }
}

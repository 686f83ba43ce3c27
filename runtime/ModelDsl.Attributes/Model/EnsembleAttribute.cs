using System;

namespace ModelDsl;

/// <summary>
/// On a [Model] class: also generate <c>{Model}Ensemble</c>, a module holding <see cref="Members"/> independent copies of the
/// model with distinct seeds derived from <see cref="Seed"/>, combined by <see cref="Aggregation"/> (bagging, 5.7).
/// The chapter advises at most about 20 members; 2 to 64 are accepted.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class EnsembleAttribute : Attribute
{
    /// <summary>Declares an ensemble of <paramref name="members"/> members.</summary>
    public EnsembleAttribute(int members) => Members = members;

    /// <summary>The number of members k.</summary>
    public int Members { get; }

    /// <summary>How member outputs are combined (Mean by default).</summary>
    public Aggregation Aggregation { get; set; }

    /// <summary>The ensemble seed every member's seed is derived from; the generated constructor's seed overrides it.</summary>
    public long Seed { get; set; }

    /// <summary>Fixed weights for <see cref="Aggregation.WeightedMean"/>, one per member, non-negative; learned when absent.</summary>
    public double[]? Weights { get; set; }

    /// <summary>
    /// Stack member weights and run all members with one batched matmul per layer (Dense, activations, dropout, LayerNorm only);
    /// other layers fall back to the loop form with a warning.
    /// </summary>
    public bool Vectorized { get; set; }
}

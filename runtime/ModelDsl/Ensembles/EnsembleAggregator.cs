using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// The aggregation step of an ensemble as a module: <c>[k, B, …] → aggregate</c>. A module (not a function) because learned
/// weights are a parameter that must reach state_dict, the optimizer and to(device).
/// </summary>
public sealed partial class EnsembleAggregator : nn.Module<Tensor, Tensor>
{
    // Named as registered ([ComponentName]): Module.to() replaces registered tensors and writes the new ones back only into
    // fields of the same name; under other names forward would read disposed tensors after to(dtype) or to(device).
    [TorchSharp.Utils.ComponentName(Name = "weights")]
    private Tensor? fixedWeights;
    [TorchSharp.Utils.ComponentName(Name = "weight_logits")]
    private TorchSharp.Modules.Parameter? weightLogits;

    /// <summary>Creates the aggregator for <paramref name="members"/> members.</summary>
    /// <param name="members">k.</param>
    /// <param name="rule">The aggregation rule.</param>
    /// <param name="output">What member outputs mean (for SoftVote).</param>
    /// <param name="weights">Fixed weights for WeightedMean (normalized to sum 1); null learns them.</param>
    /// <param name="dtype">Type of the weights (float32 when null); an ensemble converts its aggregator to its members' type.</param>
    public EnsembleAggregator(int members, Aggregation rule, MemberOutput output = MemberOutput.Logits, double[]? weights = null, ScalarType? dtype = null)
        : base(nameof(EnsembleAggregator))
    {
        if (members < 1) throw new ArgumentOutOfRangeException(nameof(members), members, "an ensemble needs at least one member");
        Members = members;
        Rule = rule;
        Output = output;
        if (weights is not null && rule != Aggregation.WeightedMean)
            throw new ArgumentException($"weights are only used by WeightedMean, not {rule}", nameof(weights));
        if (rule == Aggregation.WeightedMean)
        {
            if (weights is null)
            {
                // Learned: softmax of free logits keeps weights ≥ 0 and summing to 1; zeros start from the plain mean.
                weightLogits = new TorchSharp.Modules.Parameter(zeros(members, dtype));
                register_parameter("weight_logits", weightLogits);
            }
            else
            {
                if (weights.Length != members)
                    throw new ArgumentException($"WeightedMean needs {members} weights, one per member, but got {weights.Length}", nameof(weights));
                if (weights.Any(w => !(w >= 0)) || weights.Sum() <= 0)
                    throw new ArgumentException($"WeightedMean weights must be non-negative with a positive sum, but are [{string.Join(", ", weights)}]", nameof(weights));
                double sum = weights.Sum();
                fixedWeights = tensor(weights.Select(w => w / sum).ToArray(), dtype ?? ScalarType.Float32).DetachFromDisposeScope();
                register_buffer("weights", fixedWeights);
            }
        }
    }

    /// <summary>k.</summary>
    public int Members { get; }

    /// <summary>The rule.</summary>
    public Aggregation Rule { get; }

    /// <summary>What member outputs mean.</summary>
    public MemberOutput Output { get; }

    /// <summary>The member weights used by WeightedMean (non-negative, sum 1); null for other rules.</summary>
    public Tensor? Weights => weightLogits is not null ? nn.functional.softmax(weightLogits, 0) : fixedWeights;

    /// <inheritdoc/>
    public override Tensor forward(Tensor stacked)
    {
        if (stacked.dim() < 2 || stacked.shape[0] != Members)
            throw new ArgumentException($"{Rule} aggregator expects stacked outputs [{Members}, B, …], but got [{string.Join(", ", stacked.shape)}]", nameof(stacked));
        return Rule switch
        {
            Aggregation.Mean => Aggregations.Mean(stacked),
            Aggregation.WeightedMean => Aggregations.WeightedMean(stacked, Weights!),
            Aggregation.SoftVote => Aggregations.SoftVote(stacked, Output),
            Aggregation.MajorityVote => Aggregations.MajorityVoteOneHot(stacked),
            _ => throw new ArgumentOutOfRangeException(nameof(Rule), Rule, "unknown aggregation"),
        };
    }
}

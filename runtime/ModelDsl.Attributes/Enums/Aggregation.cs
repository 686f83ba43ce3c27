namespace ModelDsl;

/// <summary>How an ensemble combines its members' outputs (5.7).</summary>
public enum Aggregation
{
    /// <summary>The plain mean of member outputs: regression, or averaging scores.</summary>
    Mean,
    /// <summary>
    /// A weighted mean: fixed weights from <see cref="EnsembleAttribute.Weights"/> (normalized to sum to 1), or, when none
    /// are given, learned non-negative weights that sum to 1 (the softmax of a trainable parameter, starting equal).
    /// </summary>
    WeightedMean,
    /// <summary>Soft vote: the mean of member class probabilities (softmax of logits, or the probabilities themselves).</summary>
    SoftVote,
    /// <summary>
    /// Hard majority vote over each member's argmax class. A tie goes to the lowest class index, so the vote is
    /// deterministic; the ensemble's output is the one-hot vector of the winning class.
    /// </summary>
    MajorityVote,
}

using System;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// The ensemble rules of 5.7 as plain functions over stacked member outputs <c>[k, B, …]</c> (member first).
/// Class scores are on the last dimension.
/// </summary>
public static class Aggregations
{
    /// <summary>The mean over members: <c>[k, B, …] → [B, …]</c>.</summary>
    public static Tensor Mean(Tensor stacked)
    {
        RequireMembers(stacked, "Mean", 1);
        return stacked.mean(new long[] { 0 });
    }

    /// <summary>
    /// Σ_i w_i·y_i with <paramref name="weights"/> of shape [k]. The weights are used as given (callers normalize), so learned
    /// weights stay differentiable.
    /// </summary>
    public static Tensor WeightedMean(Tensor stacked, Tensor weights)
    {
        RequireMembers(stacked, "WeightedMean", 1);
        if (weights.dim() != 1 || weights.shape[0] != stacked.shape[0])
            throw new ArgumentException($"WeightedMean expects one weight per member, shape [{stacked.shape[0]}], but got [{string.Join(", ", weights.shape)}]", nameof(weights));
        var shape = new long[stacked.dim()];
        Array.Fill(shape, 1L);
        shape[0] = stacked.shape[0];
        return (stacked * weights.to(stacked.dtype, stacked.device).reshape(shape)).sum(new long[] { 0 });
    }

    /// <summary>Member probabilities <c>[k, B, C]</c> from outputs of the given kind.</summary>
    public static Tensor Probabilities(Tensor stacked, MemberOutput kind) => kind switch
    {
        MemberOutput.Logits => nn.functional.softmax(stacked, -1),
        MemberOutput.Probabilities => stacked,
        MemberOutput.LogProbabilities => stacked.exp(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown member output kind"),
    };

    /// <summary>Soft vote: the mean of member class probabilities, <c>[k, B, C] → [B, C]</c>.</summary>
    public static Tensor SoftVote(Tensor stacked, MemberOutput kind)
    {
        RequireMembers(stacked, "SoftVote", 2);
        return Probabilities(stacked, kind).mean(new long[] { 0 });
    }

    /// <summary>How many members vote for each class, as a fraction of k: <c>[k, B, C] → [B, C]</c>.</summary>
    public static Tensor VoteFractions(Tensor stacked)
    {
        RequireMembers(stacked, "MajorityVote", 2);
        long classes = stacked.shape[^1];
        Tensor votes = stacked.argmax(-1);                                    // [k, B]: each member's class
        return nn.functional.one_hot(votes, classes).to(stacked.dtype).mean(new long[] { 0 });
    }

    /// <summary>
    /// The majority class per sample, <c>[k, B, C] → [B]</c> (int64). Ties go to the lowest class index: the score
    /// count·C + (C − 1 − c) orders by count first and then prefers smaller c, so the result never depends on argmax's own
    /// tie rule.
    /// </summary>
    public static Tensor MajorityVote(Tensor stacked)
    {
        RequireMembers(stacked, "MajorityVote", 2);
        long classes = stacked.shape[^1];
        Tensor counts = nn.functional.one_hot(stacked.argmax(-1), classes).sum(new long[] { 0 });   // [B, C] int64
        Tensor preference = arange(classes - 1, -1, -1, dtype: ScalarType.Int64, device: stacked.device);
        return (counts * classes + preference).argmax(-1);
    }

    /// <summary>The winning class as a one-hot vector <c>[B, C]</c> in the outputs' dtype (the MajorityVote ensemble's output).</summary>
    public static Tensor MajorityVoteOneHot(Tensor stacked)
        => nn.functional.one_hot(MajorityVote(stacked), stacked.shape[^1]).to(stacked.dtype);

    private static void RequireMembers(Tensor stacked, string rule, int minRank)
    {
        if (stacked.dim() < minRank + 1 || stacked.shape[0] < 1)
            throw new ArgumentException($"{rule} expects stacked member outputs [k, B{(minRank >= 2 ? ", C" : "")}, …] with k ≥ 1, but got [{string.Join(", ", stacked.shape)}]", nameof(stacked));
    }
}

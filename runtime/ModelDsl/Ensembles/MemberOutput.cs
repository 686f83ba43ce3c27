namespace ModelDsl;

/// <summary>What a member's output means, so a soft vote turns it into probabilities the right way.</summary>
public enum MemberOutput
{
    /// <summary>Unnormalized class scores (a final Dense layer): probabilities are their softmax.</summary>
    Logits,
    /// <summary>Probabilities (a final Softmax): used as they are.</summary>
    Probabilities,
    /// <summary>Log-probabilities (a final LogSoftmax): probabilities are their exp.</summary>
    LogProbabilities,
}

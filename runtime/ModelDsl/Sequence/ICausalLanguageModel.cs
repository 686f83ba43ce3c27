using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// A generated token model declared with <c>[Model(Context = T)]</c> whose attention is causal and whose output is
/// logits per step <c>[B, t, V]</c>: it reads any length 1 ≤ t ≤ T and generates text token by token.
/// </summary>
public interface ICausalLanguageModel : IVariableLengthModel
{
    /// <summary>
    /// Appends <paramref name="maxNewTokens"/> tokens to each row of <paramref name="prompt"/> <c>[B, t]</c>, each drawn from
    /// softmax(logits / temperature) over the <paramref name="topK"/> most likely tokens (greedy at temperature 0), with a
    /// key/value cache unless <paramref name="useCache"/> is false; see <see cref="TokenGenerator.Generate"/>.
    /// </summary>
    Tensor Generate(Tensor prompt, int maxNewTokens, double temperature = 1.0, int? topK = null, long? seed = null, bool useCache = true);
}

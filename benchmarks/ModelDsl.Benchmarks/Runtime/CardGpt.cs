using TorchSharp.Modules;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// A small GPT (issue #27's benchmark): 65 characters, context 128, two pre-LN causal blocks of width 128 with 4 heads
/// and a GELU MLP of 512, GPT-2's init, and the output projection tied to the token table.
/// </summary>
[Model(Context = 128)]
[Embedding(65, 128), PositionalEncoding(Learned = true)]
[TransformerEncoder(4, 512, Layers = 2, Dropout = 0.1, Activation = Activation.GELU, Causal = true, Init = TransformerInit.Gpt2)]
public partial class CardGpt
{
    [Dense(65, TiedToEmbedding = true, Bias = false)] public partial Sequential Head { get; }
}

using ModelDsl;

namespace CharLm;

/// <summary>
/// A character-level GPT (nanoGPT's shape, smaller): 82 character ids, a learned position table for up to 256 steps,
/// four pre-LN causal blocks of width 128 with 4 heads and a GELU MLP of 512, GPT-2's initialization, and a head tied
/// to the token table (logits = x·Eᵀ + b at every step). The table starts at GPT-2's N(0, 0.02²): PyTorch's N(0, 1)
/// would start the tied head's logits at a std of about 11 (a loss near 30 nats) instead of near uniform.
/// </summary>
[Model(Context = 256)]
[Embedding(CharVocabulary.Size, 128, InitStd = 0.02), PositionalEncoding(Learned = true)]
[TransformerEncoder(4, 512, Layers = 4, Causal = true, Activation = Activation.GELU, Init = TransformerInit.Gpt2, Dropout = 0)]
[Dense(CharVocabulary.Size, TiedToEmbedding = true)]
public partial class CharGpt { }

using ModelDsl;

namespace CharLm;

/// <summary>
/// A character-level GPT (nanoGPT's shape, smaller): 82 character ids, a learned position table for up to 256 steps,
/// four pre-LN causal blocks of width 128 with 4 heads and a GELU MLP of 512, GPT-2's initialization, and a head tied
/// to the token table (logits = x·Eᵀ + b at every step).
/// </summary>
[Model(Context = 256)]
[Embedding(CharVocabulary.Size, 128), PositionalEncoding(Learned = true)]
[TransformerEncoder(4, 512, Layers = 4, Causal = true, Activation = Activation.GELU, Init = TransformerInit.Gpt2, Dropout = 0)]
[Dense(CharVocabulary.Size, TiedToEmbedding = true)]
public partial class CharGpt { }

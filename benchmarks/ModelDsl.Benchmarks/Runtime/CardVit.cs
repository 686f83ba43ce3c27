namespace ModelDsl.Benchmarks.Runtime;

/// <summary>examples/VitMnist's network, verbatim: 16 patches of 7×7, learned positions, two pre-LN GELU encoder layers, mean over patches.</summary>
[Model(1, 28, 28)]
[PatchEmbedding(7, 64), PositionalEncoding(Learned = true)]
[TransformerEncoder(4, 128, Layers = 2, Dropout = 0.1, Activation = Activation.GELU)]
[GlobalAvgPool1d, Dense(10)]
public partial class CardVit { }

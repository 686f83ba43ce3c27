using ModelDsl;

namespace VitMnist;

/// <summary>
/// A small Vision Transformer (Dosovitskiy et al. 2021) for MNIST: the 28×28 image cut into 16 patches of 7×7, each
/// embedded into 64 features, a learned position table, two pre-LN encoder layers (4 heads of 16, GELU feed-forward of
/// 128), the mean over the 16 patch outputs, and a linear read-out to 10 logits.
/// </summary>
[Model(1, 28, 28)]
[PatchEmbedding(7, 64), PositionalEncoding(Learned = true)]
[TransformerEncoder(4, 128, Layers = 2, Dropout = 0.1, Activation = Activation.GELU)]
[GlobalAvgPool1d, Dense(10)]
public partial class VisionTransformer { }

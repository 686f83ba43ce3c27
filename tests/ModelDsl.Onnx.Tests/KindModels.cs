using ModelDsl;

// One model per layer kind (issue #23 §3.5): PrecisionTests exports each in float64 and as float32, and
// PrecisionTests.The_kind_models_cover_every_layer_attribute ties the list to the layer attributes. A kind without
// parameters follows a norm (LayerNorm on features and sequences, BatchNorm on images): a model without parameters has
// no dtype of its own and exports a float32 graph, so it would not test the kind in float64.
namespace OnnxKinds
{
    [Model(4)] [Dense(3)] public partial class DenseKind { }
    [Model(2, 3)] [LayerNorm, Flatten] public partial class FlattenKind { }
    [Model(4)] [BatchNorm] public partial class BatchNormKind { }
    [Model(5, 4)] [LayerNorm] public partial class LayerNormKind { }
    [Model(4)] [LayerNorm, Dropout(0.5)] public partial class DropoutKind { }
    [Model(4)] [LayerNorm, GaussianNoise(0.1)] public partial class GaussianNoiseKind { }
    [Model(4)] [LayerNorm, ReLU] public partial class ReLUKind { }
    [Model(4)] [LayerNorm, LeakyReLU(0.1)] public partial class LeakyReLUKind { }
    [Model(4)] [LayerNorm, Tanh] public partial class TanhKind { }
    [Model(4)] [LayerNorm, Sigmoid] public partial class SigmoidKind { }
    [Model(4)] [LayerNorm, GELU] public partial class GELUKind { }
    [Model(4)] [LayerNorm, SiLU] public partial class SiLUKind { }
    [Model(4)] [Dense(6, Init = Init.Normal, InitStd = 4), ReLU6] public partial class ReLU6Kind { }
    [Model(3, 8, 6)] [BatchNorm, AdaptiveAvgPool2d(4, 3)] public partial class AdaptiveAvgPool2dKind { }
    [Model(4, 5, 5)] [BatchNorm, SqueezeExcitation(2, Activation = SqueezeActivation.SiLU, ScaleActivation = SqueezeScale.Hardsigmoid)] public partial class SqueezeExcitationKind { }
    [Model(4, 5, 5)] [BatchNorm, SqueezeExcitation(3)] public partial class SigmoidSqueezeExcitationKind { }
    [Model(4)] [Dense(4), StochasticDepth(0.3)] public partial class StochasticDepthKind { }
    [Model(6, 3, 3)] [BatchNorm, ChannelShuffle(3)] public partial class ChannelShuffleKind { }
    [Model(6, 3, 3)] [BatchNorm, ChannelSplit(3, 1)] public partial class ChannelSplitKind { }
    [Model(5, 4)] [LayerNorm, ClassToken, PositionEmbedding, SelectToken(1)] public partial class ClassTokenKind { }
    [Model(4, 3, 3)] [BatchNorm, LayerNorm(Channels = true, Eps = 1e-6), ChannelDense(6), LayerScale(InitValue = 0.5)] public partial class ChannelDenseKind { }
    [Model(3, 8, 6)] [BatchNorm, AdaptiveMaxPool2d(2)] public partial class AdaptiveMaxPool2dKind { }
    [Model(3, 5, 4)] [BatchNorm, Upsample(2)] public partial class UpsampleKind { }
    [Model(3, 5, 4)] [BatchNorm, Upsample(3, Mode = Interpolation.Bilinear)] public partial class BilinearUpsampleKind { }
    [Model(3, 5, 4)] [BatchNorm, AvgPool2d(2), Upsample(SizeOf = "input", Mode = Interpolation.Bilinear)] public partial class SizedUpsampleKind { }
    [Model(3, 5, 4)] [BatchNorm, AvgPool2d(2), Upsample(SizeOf = "input")] public partial class SizedNearestUpsampleKind { }
    [Model(4, 6, 6)] [Conv2d(8, 3, Padding = 1, Groups = 4), BatchNorm, ReLU6, Conv2d(8, 3, Padding = 1, Groups = 8, Bias = false)] public partial class GroupedConvKind { }
    [Model(4)] [Dense(6, Init = Init.Normal, InitStd = 4), Hardswish] public partial class HardswishKind { }
    [Model(4)] [Dense(6, Init = Init.Normal, InitStd = 4), Hardsigmoid] public partial class HardsigmoidKind { }
    [Model(4)] [Dense(6, Init = Init.Normal, InitStd = 4), Mish] public partial class MishKind { }
    [Model(4)] [LayerNorm, ELU(0.5)] public partial class ELUKind { }
    [Model(4)] [LayerNorm, Softmax] public partial class SoftmaxKind { }
    [Model(4)] [LayerNorm, LogSoftmax] public partial class LogSoftmaxKind { }
    [Model(2, 5, 5)] [Conv2d(3, 3)] public partial class Conv2dKind { }
    [Model(4, 5, 4)] [ConvTranspose2d(6, 3, Stride = 2, Padding = 1, OutputPadding = 1, Groups = 2), BatchNorm, ConvTranspose2d(3, 2, Dilation = 2, Bias = false)] public partial class ConvTranspose2dKind { }
    [Model(2, 4, 4)] [BatchNorm, MaxPool2d(2)] public partial class MaxPool2dKind { }
    [Model(2, 4, 4)] [BatchNorm, AvgPool2d(2)] public partial class AvgPool2dKind { }
    [Model(2, 4, 4)] [BatchNorm, GlobalAvgPool] public partial class GlobalAvgPoolKind { }
    [Model(2, 4, 4)] [InstanceNorm(Affine = true)] public partial class InstanceNormKind { }
    [Model(4, 3, 3)] [GroupNorm(2)] public partial class GroupNormKind { }
    [Model(2, 4, 4)] [BatchNorm, Dropout2d(0.3)] public partial class Dropout2dKind { }
    [Model(5, 3)] [LSTM(4)] public partial class LSTMKind { }
    [Model(5, 3)] [GRU(4, ReturnSequences = true)] public partial class GRUKind { }
    [Model(1, 8, 8)] [PatchEmbedding(4, 6)] public partial class PatchEmbeddingKind { }
    [Model(5, 4)] [PositionalEncoding(Learned = true)] public partial class PositionalEncodingKind { }
    [Model(5, 4)] [TransformerEncoder(2, 8)] public partial class TransformerEncoderKind { }
    [Model(5, 4)] [TransformerDecoder(2, 8, Memory = "input")] public partial class TransformerDecoderKind { } // the input is its own memory
    [Model(5, 4)] [LayerNorm, GlobalAvgPool1d] public partial class GlobalAvgPool1dKind { }
    [Model(5)] [Embedding(10, 4)] public partial class EmbeddingKind { }
    [Model(6, 3)] [Conv1d(4, 3)] public partial class Conv1dKind { }
    [Model(6, 3)] [LayerNorm, MaxPool1d(2)] public partial class MaxPool1dKind { }
    [Model(6, 3)] [LayerNorm, AvgPool1d(2)] public partial class AvgPool1dKind { }
}

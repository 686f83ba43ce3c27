using ModelDsl;
using Sequential = TorchSharp.Modules.Sequential;
using static ModelDsl.Init;
using static TorchSharp.torch;

// The generator's snapshot models (tests/ModelDsl.Generator.Tests), declared again here so each is exported and run
// through ONNX Runtime, plus models that cover the layer options the snapshots do not.
namespace OnnxModels
{
    [Model(784)]
    [Dense(256, Init = He), BatchNorm, Dropout(0.5)]
    [Dense(10)]
    public partial class Mlp { }

    /// <summary>Layer names that are paths, nested as PyTorch nests them (features.0.conv): ONNX walks the nested Sequentials, folding included.</summary>
    [Model(3, 12, 12)]
    public partial class PathNamed
    {
        [Conv2d(8, 3, Padding = 1, Bias = false, Name = "0.conv"), BatchNorm(Name = "0.bn"), ReLU(Name = "0.relu"), MaxPool2d(2, Name = "1"),
         Conv2d(8, 3, Padding = 1, Name = "2.0"), BatchNorm(Name = "2.1")]
        public partial Sequential Features { get; }

        [GlobalAvgPool, Dense(4, Name = "head.fc")]
        public partial Sequential Classifier { get; }
    }

    [Model(784)]
    public partial class BlockNet
    {
        [Dense(256, Init = He), ReLU]
        public partial Sequential Hidden { get; }

        [Dense(128, Init = He, Activation = Activation.ReLU), Dropout(Keep = 0.8)]
        private Sequential body = null!;

        [Dense(10), LogSoftmax]
        internal partial Sequential Head { get; }
    }

    /// <summary>
    /// A hand-written forward (a residual connection) on a class that claims to be exportable anyway: the generator
    /// does not add IOnnxExportable to it, so only this declaration does, and the exporter's probe check must refuse it.
    /// </summary>
    [Model(32)]
    public partial class Residual : ModelDsl.Onnx.IOnnxExportable
    {
        [Dense(32, Init = He), ReLU]
        public partial Sequential Inner { get; }

        [Dense(1, Init = Xavier)]
        public partial Sequential Out { get; }

        public override Tensor forward(Tensor input) => Out.forward(input + Inner.forward(input));
    }

    [Model(16)]
    [Dense(16, Init = Normal, InitMean = 0.1, InitStd = 0.02), Tanh]
    [Dense(16, Init = Uniform, InitLow = -0.1, InitHigh = 0.2), ReLU]
    [Dense(16, Init = Xavier), Tanh]
    [Dense(16, Init = XavierUniform, InitGain = 1.6666666666666667), Tanh]
    [Dense(16, Init = He, InitMode = FanMode.FanOut), ReLU]
    [Dense(16, Init = HeUniform), LeakyReLU(0.2)]
    [Dense(16, Init = LeCun), GELU]
    [Dense(16, Init = Orthogonal, InitGain = 2.0, BiasInit = Constant, BiasValue = 0.1), Sigmoid]
    [Dense(16, Bias = false)]
    [Dense(4, BiasInit = Zeros)]
    public partial class AllInits { }

    [Model(8, 4)]
    [Flatten]
    [Dense(64, Init = He), BatchNorm(Momentum = 0.01, Eps = 0.001), ReLU]
    [Dense(64, Init = He), ReLU, BatchNorm(Affine = false)]
    [Dense(64, Init = Xavier), LayerNorm(Eps = 1e-6), Tanh, Dropout(0.2)]
    [Dense(64, Init = Xavier), Sigmoid, Dropout(Keep = 0.5, Mode = DropoutMode.WeightScaling)]
    [Dense(64, Init = He), LeakyReLU, GELU]
    [Dense(3), Softmax]
    public partial class AllLayers { }

    [Model(3)]
    [Dense(1)]
    public partial class GlobalModel { }

    [Model(1, 28, 28)]
    [Conv2d(32, 3, Padding = 1, Bias = false, Init = He), BatchNorm, ReLU]
    [Conv2d(64, 3, Padding = Padding.Same, Bias = false, Init = He), BatchNorm, ReLU, MaxPool2d(2)]
    [Dropout2d(0.25), Flatten]
    [Dense(128, Init = He), ReLU, Dropout(0.5), Dense(10)]
    public partial class MnistCnn { }

    [Model(3, 32, 32)]
    [Conv2d(16, 5, Stride = 2, Dilation = 2, Init = HeUniform), InstanceNorm(Affine = true, TrackRunningStats = true), LeakyReLU(0.1)]
    [Conv2d(16, 3, Padding = 1, Init = Xavier), GroupNorm(4), Tanh, AvgPool2d(3, Stride = 2)]
    [LayerNorm, GlobalAvgPool, Dense(10)]
    public partial class NormZoo { }

    /// <summary>Same padding with an even, dilated kernel (asymmetric pads), untracked instance norm, conv bias folding.</summary>
    [Model(3, 9, 11)]
    [Conv2d(6, 4, Padding = Padding.Same, Dilation = 2, Activation = Activation.ReLU), InstanceNorm, MaxPool2d(2, Stride = 1)]
    [Conv2d(4, 3, Init = He), BatchNorm(Affine = false), GroupNorm(2, Affine = false), GlobalAvgPool, Dense(3)]
    public partial class SameCnn { }

    /// <summary>Group norm on features [B, C] (issue #15's example) and a batch norm folded into a Dense before it.</summary>
    [Model(5)]
    [Dense(6), GroupNorm(3), ReLU]
    [Dense(6), BatchNorm, GroupNorm(2, Affine = false)]
    [Dense(2)]
    public partial class FeatureNorms { }

    /// <summary>Recurrent layers: a stacked bidirectional LSTM returning sequences, then a GRU's last step.</summary>
    [Model(7, 3)]
    [LSTM(6, Layers = 2, Bidirectional = true, ReturnSequences = true), LayerNorm]
    [GRU(5, Bidirectional = true)]
    [Dense(2)]
    public partial class SequenceNet { }

    /// <summary>A small Vision Transformer: patches, learned positions, a pre-LN GELU encoder, the mean over patches.</summary>
    [Model(1, 12, 12)]
    [PatchEmbedding(4, 16), PositionalEncoding(Learned = true)]
    [TransformerEncoder(2, 32, Layers = 2, Activation = Activation.GELU)]
    [GlobalAvgPool1d, Dense(3)]
    public partial class TinyVit { }

    /// <summary>A neighbour no example names: image patches read by a bidirectional LSTM.</summary>
    [Model(1, 12, 12)]
    [PatchEmbedding(4, 8), LSTM(5, Bidirectional = true)]
    [Dense(2)]
    public partial class PatchLstm { }

    /// <summary>Convolutions and pooling over time on [B, T, F]: padded, strided without bias, same and dilated.</summary>
    [Model(16, 3)]
    [Conv1d(6, 3, Padding = 1), ReLU, MaxPool1d(2)]
    [Conv1d(5, 2, Stride = 2, Bias = false), Conv1d(4, 4, Padding = Padding.Same, Dilation = 2), AvgPool1d(2, Stride = 1)]
    [GlobalAvgPool1d, Dense(2)]
    public partial class TemporalConv { }

    /// <summary>Batch norm on a sequence [B, T, F] (MD0066 advises LayerNorm; exported per feature through a transpose).</summary>
#pragma warning disable MD0066
    [Model(6, 4)]
    [GRU(5, ReturnSequences = true), BatchNorm]
    [GlobalAvgPool1d, Dense(2)]
    public partial class SequenceBatchNorm { }
#pragma warning restore MD0066

    /// <summary>Sinusoidal positions and a post-LN ReLU encoder on a feature sequence.</summary>
    [Model(6, 8)]
    [PositionalEncoding, TransformerEncoder(4, 16, NormFirst = false)]
    [GlobalAvgPool1d, Dense(2)]
    public partial class PostLnEncoder { }

    [Model(9, 4)]
    [GRU(6, Layers = 2, ReturnSequences = true), Tanh]
    [LSTM(3)]
    public partial class GruThenLstm { }

    [Model(20)]
    [WeightDecay("body", L2 = 1e-4, IncludeNorm = true)]
    [WeightDecay("head", L2 = 1e-3, L1 = 1e-5, IncludeBias = true)]
    [WeightDecay(L2 = 5e-4)]
    [GaussianNoise(0.1)]
    [Dense(32, Init = He, Group = "body", MaxNorm = 3), BatchNorm, ReLU]
    [Dense(16, WeightNoise = 0.01), ReLU]
    public partial class Grouped
    {
        [Dense(4, Group = "head", MaxNorm = 2.5)]
        public partial Sequential Head { get; }
    }

    [Model(16)]
    [Dense(32, Activation = Activation.ReLU, Init = Init.He)]
    [Dense(10)]
    [Ensemble(5, Aggregation = Aggregation.SoftVote, Seed = 42)]
    public partial class SoftVoter { }

    [Model(16)]
    [Dense(32, Activation = Activation.ReLU, Init = Init.He), BatchNorm]
    [Dense(10), LogSoftmax]
    [Ensemble(3, Aggregation = Aggregation.MajorityVote, Seed = 5)]
    public partial class MajorityVoter { }

    [Model(16)]
    [Dense(32, Activation = Activation.Tanh, Init = Init.Xavier)]
    [Dense(2)]
    [Ensemble(3, Aggregation = Aggregation.WeightedMean, Weights = new[] { 0.5, 0.25, 0.25 }, Seed = 9)]
    public partial class FixedWeights { }

    [Model(16)]
    [Dense(32, Activation = Activation.ReLU, Init = Init.He)]
    [Dense(2)]
    [Ensemble(4, Aggregation = Aggregation.WeightedMean, Seed = 13)]
    public partial class LearnedWeights { }

    [Model(1, 8, 8)]
    [Conv2d(4, 3, Init = He), BatchNorm, ReLU, Flatten]
    [Dense(1)]
    [Ensemble(3, Aggregation = Aggregation.Mean, Seed = 17)]
    public partial class ConvMean { }

    [Model(6)]
    [Dense(12, Activation = Activation.ReLU), LayerNorm, Dropout(0.2)]
    [Dense(12), Tanh, Dropout(Keep = 0.9, Mode = DropoutMode.WeightScaling)]
    [Dense(12, Activation = Activation.GELU), LayerNorm(Affine = false)]
    [Dense(3, Activation = Activation.LeakyReLU), Softmax]
    [Ensemble(4, Aggregation = Aggregation.SoftVote, Seed = 3, Vectorized = true)]
    public partial class VectorizedNet { }
}

namespace OnnxModels.Nested
{
    public static partial class Outer<T> where T : class
    {
        internal partial struct Middle
        {
            [Model(4)]
            [Dense(2)]
            public partial class Inner<TModel> { }
        }
    }
}

namespace OnnxModels.A { [Model(3)] [Dense(1)] public partial class Net { } }

namespace OnnxModels.B { [Model(5)] [Dense(2)] public partial class Net { } }

namespace OnnxModels
{
    /// <summary>A small ResNet (issue #17): a stride-2 unit with a projection, an identity unit, zero-γ, then a dense pre-activation unit.</summary>
    [Model(3, 8, 8)]
    [Conv2d(4, 3, Padding = 1, Bias = false), BatchNorm, ReLU]
    public partial class TinyResNet
    {
        [ModelDsl.Residual(Repeat = 2, Activation = Activation.ReLU, BranchInit = ResidualInit.ZeroGamma)]
        [Conv2d(8, 3, Stride = 2, Padding = 1, Bias = false, Init = He), BatchNorm, ReLU, Conv2d(8, 3, Padding = 1, Bias = false, Init = He), BatchNorm]
        public partial Sequential Stage { get; }

        [GlobalAvgPool, Dense(6)]
        public partial Sequential Pool { get; }

        [ModelDsl.Residual(Shortcut = Shortcut.Projection)]
        [LayerNorm, Dense(6, Init = He), ReLU, Dense(6)]
        public partial Sequential Dense { get; }
    }

    /// <summary>MobileNetV2's inverted residual with EfficientNet's SiLU, a template used inside <see cref="MBStage"/>.</summary>
    [Block]
    public partial class MBConv
    {
        public const int Hidden = 32, Out = 8;

        [Conv2d(Hidden, 1, Bias = false), BatchNorm, SiLU] public partial Sequential Expand { get; }
        [Conv2d(Hidden, 3, Padding = 1, Groups = Hidden, Bias = false), BatchNorm, SiLU] public partial Sequential Depthwise { get; }
        [Conv2d(Out, 1, Bias = false), BatchNorm] public partial Sequential Project { get; }
        [Add("input", nameof(Project))] public partial Sequential Sum { get; }
    }

    /// <summary>A stage of two MBConv uses whose sizes are expressions of the stage's parameters (the generator's nested-template snapshot).</summary>
    [Block]
    public partial class MBStage
    {
        public const int Width = 8, Expansion = 4;

        [Conv2d(Width, 3, Stride = 2, Padding = 1, Bias = false), BatchNorm, SiLU] public partial Sequential Down { get; }
        [With(nameof(MBConv.Hidden), Width * Expansion, nameof(MBConv.Out), Width)] public partial MBConv Block0 { get; }
        [With(nameof(MBConv.Hidden), Width * Expansion, nameof(MBConv.Out), Width)] public partial MBConv Block1 { get; }
    }

    /// <summary>Nested templates: the exporter walks each stage's graph and, inside it, each MBConv's.</summary>
    [Model(3, 16, 16)]
    public partial class NestedStages
    {
        [Conv2d(8, 3, Padding = 1), ReLU] public partial Sequential Stem { get; }
        [With(nameof(MBStage.Width), 8, nameof(MBStage.Expansion), 2)] public partial MBStage Stage1 { get; }
        [With(nameof(MBStage.Width), 12, nameof(MBStage.Expansion), 3)] public partial MBStage Stage2 { get; }
        [GlobalAvgPool, Dense(10)] public partial Sequential Head { get; }
    }
}

using ModelDsl;

// Models whose layers draw or not depending on their settings: the cases a layer kind's trait must get right beyond
// the one-kind models of OnnxKinds.
namespace LayerKindModels
{
    [Model(5, 3)] [LSTM(4, Layers = 2, Dropout = 0.5)] public partial class StackedLstmWithDropout { }
    [Model(5, 3)] [GRU(4, Layers = 2, Dropout = 0.5, ReturnSequences = true)] public partial class StackedGruWithDropout { }
    [Model(5, 3)] [LSTM(4, Layers = 2)] public partial class StackedLstmWithoutDropout { }
    [Model(4)] [LayerNorm, GaussianNoise(0)] public partial class SilentNoise { }
    [Model(4)] [Dense(3, WeightNoise = 0.1)] public partial class WeightNoise { }
    [Model(4)] [LayerNorm, Dropout(Keep = 0.5, Mode = DropoutMode.WeightScaling)] public partial class WeightScalingDropoutKind { }
    [Model(5, 4)] [TransformerEncoder(2, 8, Dropout = 0)] public partial class EncoderWithoutDropout { }
}

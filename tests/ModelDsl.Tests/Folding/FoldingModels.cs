using ModelDsl;
using TorchSharp.Modules;
using static ModelDsl.Init;

namespace ModelDsl.Tests.Folding;

/// <summary>An MLP with two Dense + BatchNorm pairs (one Dense without bias) and a head.</summary>
[Model(8)]
[Dense(16, Init = He), BatchNorm, ReLU]
[Dense(12, Bias = false, Init = He), BatchNorm, ReLU, Dropout(0.5)]
[Dense(3)]
public partial class FoldMlp { }

/// <summary>The same MLP without dropout, so its training-mode output is deterministic.</summary>
[Model(8)]
[Dense(16, Init = He), BatchNorm, ReLU]
[Dense(3)]
public partial class FoldMlpNoDropout { }

/// <summary>The CNN of examples/MnistCnn (conv–BN–ReLU–pool ×2, channel dropout, dense head).</summary>
[Model(1, 28, 28)]
[Conv2d(32, 3, Padding = Padding.Same, Bias = false, Init = He), BatchNorm, ReLU, MaxPool2d(2)]
[Conv2d(64, 3, Padding = Padding.Same, Bias = false, Init = He), BatchNorm, ReLU, MaxPool2d(2)]
[Dropout2d(0.25), Flatten]
[Dense(128, Init = He), ReLU, Dropout(0.5)]
[Dense(10)]
public partial class FoldMnistCnn { }

/// <summary>A ResNet-like stem: conv–BN–ReLU then a 3×3 max pool at stride 2 with padding and ceil mode, conv with bias–BN–ReLU.</summary>
[Model(3, 15, 15)]
[Conv2d(32, 3, Padding = 1, Bias = false, Init = He), BatchNorm, ReLU, MaxPool2d(3, Stride = 2, Padding = 1, CeilMode = true)]
[Conv2d(32, 3, Padding = 1, Init = He), BatchNorm, ReLU, GlobalAvgPool, Dense(4)]
public partial class FoldStemCnn { }

/// <summary>A small ResNet: a conv–BN stem, a projection unit (stride 2, 1×1 conv + BN shortcut), an identity unit, a head.</summary>
[Model(3, 12, 12)]
[Conv2d(8, 3, Padding = 1, Bias = false, Init = He), BatchNorm, ReLU]
public partial class FoldResNet
{
    [Residual(Activation = Activation.ReLU)]
    [Conv2d(16, 3, Stride = 2, Padding = 1, Bias = false, Init = He), BatchNorm, ReLU, Conv2d(16, 3, Padding = 1, Bias = false, Init = He), BatchNorm]
    public partial Sequential Down { get; }

    [Residual(Activation = Activation.ReLU)]
    [Conv2d(16, 3, Padding = 1, Bias = false, Init = He), BatchNorm, ReLU, Conv2d(16, 3, Padding = 1, Bias = false, Init = He), BatchNorm]
    public partial Sequential Same { get; }

    [GlobalAvgPool, Dense(4)]
    public partial Sequential Head { get; }
}

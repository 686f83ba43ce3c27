using TorchSharp.Modules;
using static ModelDsl.Init;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>The ResNet of examples/ResNetMnist, verbatim (stem, 16/32/64-channel stages of 1, 2 and 2 basic blocks, zero-γ, head).</summary>
[Model(1, 28, 28)]
[Conv2d(16, 3, Padding = 1, Bias = false, Init = He), BatchNorm, ReLU]
public partial class CardResNet
{
    [Residual(Activation = Activation.ReLU, BranchInit = ResidualInit.ZeroGamma)]
    [Conv2d(16, 3, Padding = 1, Bias = false, Init = He), BatchNorm, ReLU, Conv2d(16, 3, Padding = 1, Bias = false, Init = He), BatchNorm]
    public partial Sequential Stage1 { get; }

    [Residual(Repeat = 2, Activation = Activation.ReLU, BranchInit = ResidualInit.ZeroGamma)]
    [Conv2d(32, 3, Stride = 2, Padding = 1, Bias = false, Init = He), BatchNorm, ReLU, Conv2d(32, 3, Padding = 1, Bias = false, Init = He), BatchNorm]
    public partial Sequential Stage2 { get; }

    [Residual(Repeat = 2, Activation = Activation.ReLU, BranchInit = ResidualInit.ZeroGamma)]
    [Conv2d(64, 3, Stride = 2, Padding = 1, Bias = false, Init = He), BatchNorm, ReLU, Conv2d(64, 3, Padding = 1, Bias = false, Init = He), BatchNorm]
    public partial Sequential Stage3 { get; }

    [GlobalAvgPool, Dense(10)]
    public partial Sequential Head { get; }
}

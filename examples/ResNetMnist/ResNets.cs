using ModelDsl;
using TorchSharp.Modules;
using static ModelDsl.Init;

namespace ResNetMnist;

/// <summary>
/// A small ResNet for MNIST, laid out as He et al. 2016's CIFAR-10 ResNets (§4.2): a conv–BN–ReLU stem at 28×28, three
/// residual stages of 16, 32 and 64 channels at 28×28, 14×14 and 7×7 with one, two and two basic blocks (the second and
/// third stages halve the map with a stride-2 first convolution and a 1×1 projection shortcut in their first block),
/// global average pooling and a linear classifier. Each stage's last
/// batch norm starts at γ = 0 (Goyal et al. 2017, §5.1), so every block starts as its shortcut.
/// </summary>
[Model(1, 28, 28)]
[Conv2d(16, 3, Padding = 1, Bias = false, Init = He), BatchNorm, ReLU]
public partial class ResNet
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

/// <summary>The same network with every branch at its layers' own init (γ = 1): the experiment's baseline.</summary>
[Model(1, 28, 28)]
[Conv2d(16, 3, Padding = 1, Bias = false, Init = He), BatchNorm, ReLU]
public partial class ResNetUnitGamma
{
    [Residual(Activation = Activation.ReLU)]
    [Conv2d(16, 3, Padding = 1, Bias = false, Init = He), BatchNorm, ReLU, Conv2d(16, 3, Padding = 1, Bias = false, Init = He), BatchNorm]
    public partial Sequential Stage1 { get; }

    [Residual(Repeat = 2, Activation = Activation.ReLU)]
    [Conv2d(32, 3, Stride = 2, Padding = 1, Bias = false, Init = He), BatchNorm, ReLU, Conv2d(32, 3, Padding = 1, Bias = false, Init = He), BatchNorm]
    public partial Sequential Stage2 { get; }

    [Residual(Repeat = 2, Activation = Activation.ReLU)]
    [Conv2d(64, 3, Stride = 2, Padding = 1, Bias = false, Init = He), BatchNorm, ReLU, Conv2d(64, 3, Padding = 1, Bias = false, Init = He), BatchNorm]
    public partial Sequential Stage3 { get; }

    [GlobalAvgPool, Dense(10)]
    public partial Sequential Head { get; }
}

/// <summary>
/// The same network without any normalization, initialized with Fixup (Zhang, Dauphin and Ma 2019): each branch's last
/// convolution starts at zero, its first is He-initialized and scaled by L^(−1/(2m−2)) = 5^(−1/2) (L = 5 blocks, m = 2
/// layers); the convolutions keep per-channel biases in place of Fixup's scalar biases.
/// </summary>
[Model(1, 28, 28)]
[Conv2d(16, 3, Padding = 1, Init = He), ReLU]
public partial class ResNetFixup
{
    [Residual(Activation = Activation.ReLU, BranchInit = ResidualInit.Fixup)]
    [Conv2d(16, 3, Padding = 1, Init = He), ReLU, Conv2d(16, 3, Padding = 1, Init = He)]
    public partial Sequential Stage1 { get; }

    [Residual(Repeat = 2, Activation = Activation.ReLU, BranchInit = ResidualInit.Fixup)]
    [Conv2d(32, 3, Stride = 2, Padding = 1, Init = He), ReLU, Conv2d(32, 3, Padding = 1, Init = He)]
    public partial Sequential Stage2 { get; }

    [Residual(Repeat = 2, Activation = Activation.ReLU, BranchInit = ResidualInit.Fixup)]
    [Conv2d(64, 3, Stride = 2, Padding = 1, Init = He), ReLU, Conv2d(64, 3, Padding = 1, Init = He)]
    public partial Sequential Stage3 { get; }

    [GlobalAvgPool, Dense(10)]
    public partial Sequential Head { get; }
}

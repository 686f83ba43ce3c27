using ModelDsl;
using TorchSharp.Modules;

namespace Zoo;

/// <summary>
/// DenseNet's layer (Huang et al. 2017, DenseNet-BC) as torchvision's <c>_DenseLayer</c>: batch norm, ReLU, a 1×1
/// bottleneck to 4 × 32 channels, batch norm, ReLU, a 3×3 convolution to the growth rate of 32, and its input
/// concatenated in front: each layer adds 32 channels.
/// </summary>
[Block]
public partial class DenseLayer
{
    [BatchNorm(Name = "norm1"), ReLU(Name = "relu1"), Conv2d(128, 1, Bias = false, Name = "conv1"),
     BatchNorm(Name = "norm2"), ReLU(Name = "relu2"), Conv2d(32, 3, Padding = 1, Bias = false, Name = "conv2")]
    public partial Sequential Layer { get; }

    [Concatenate("input", nameof(Layer))]
    public partial Sequential Joined { get; }
}

/// <summary>
/// torchvision's <c>densenet121</c>: a 7×7 stem, dense blocks of 6, 12, 24 and 16 layers with transitions (batch norm,
/// ReLU, 1×1 convolution halving the channels, 2×2 average pooling) between them, a final batch norm, ReLU, global
/// average pooling and the classifier. torchvision keeps the blocks inside <c>features</c>; the renames map its
/// numbered families onto the members.
/// </summary>
[Model(3, 224, 224)]
[RenameWeights("features.denseblock{n}.denselayer{n}", "block{n}Layer{n}.layer"), RenameWeights("features.transition{n}", "transition{n}")]
[RenameWeights("features.norm5", "final.norm5"), RenameWeights("classifier", "final.classifier")]
public partial class DenseNet121
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false, Name = "conv0"), BatchNorm(Name = "norm0"), ReLU(Name = "relu0"), MaxPool2d(3, Stride = 2, Padding = 1, Name = "pool0")]
    public partial Sequential Features { get; }

    // Dense block 1: 6 layers, 64 → 256 channels
    public partial DenseLayer Block1Layer1 { get; }
    public partial DenseLayer Block1Layer2 { get; }
    public partial DenseLayer Block1Layer3 { get; }
    public partial DenseLayer Block1Layer4 { get; }
    public partial DenseLayer Block1Layer5 { get; }
    public partial DenseLayer Block1Layer6 { get; }
    [BatchNorm(Name = "norm"), ReLU(Name = "relu"), Conv2d(128, 1, Bias = false, Name = "conv"), AvgPool2d(2, Name = "pool")]
    public partial Sequential Transition1 { get; }

    // Dense block 2: 12 layers, 128 → 512 channels
    public partial DenseLayer Block2Layer1 { get; }
    public partial DenseLayer Block2Layer2 { get; }
    public partial DenseLayer Block2Layer3 { get; }
    public partial DenseLayer Block2Layer4 { get; }
    public partial DenseLayer Block2Layer5 { get; }
    public partial DenseLayer Block2Layer6 { get; }
    public partial DenseLayer Block2Layer7 { get; }
    public partial DenseLayer Block2Layer8 { get; }
    public partial DenseLayer Block2Layer9 { get; }
    public partial DenseLayer Block2Layer10 { get; }
    public partial DenseLayer Block2Layer11 { get; }
    public partial DenseLayer Block2Layer12 { get; }
    [BatchNorm(Name = "norm"), ReLU(Name = "relu"), Conv2d(256, 1, Bias = false, Name = "conv"), AvgPool2d(2, Name = "pool")]
    public partial Sequential Transition2 { get; }

    // Dense block 3: 24 layers, 256 → 1024 channels
    public partial DenseLayer Block3Layer1 { get; }
    public partial DenseLayer Block3Layer2 { get; }
    public partial DenseLayer Block3Layer3 { get; }
    public partial DenseLayer Block3Layer4 { get; }
    public partial DenseLayer Block3Layer5 { get; }
    public partial DenseLayer Block3Layer6 { get; }
    public partial DenseLayer Block3Layer7 { get; }
    public partial DenseLayer Block3Layer8 { get; }
    public partial DenseLayer Block3Layer9 { get; }
    public partial DenseLayer Block3Layer10 { get; }
    public partial DenseLayer Block3Layer11 { get; }
    public partial DenseLayer Block3Layer12 { get; }
    public partial DenseLayer Block3Layer13 { get; }
    public partial DenseLayer Block3Layer14 { get; }
    public partial DenseLayer Block3Layer15 { get; }
    public partial DenseLayer Block3Layer16 { get; }
    public partial DenseLayer Block3Layer17 { get; }
    public partial DenseLayer Block3Layer18 { get; }
    public partial DenseLayer Block3Layer19 { get; }
    public partial DenseLayer Block3Layer20 { get; }
    public partial DenseLayer Block3Layer21 { get; }
    public partial DenseLayer Block3Layer22 { get; }
    public partial DenseLayer Block3Layer23 { get; }
    public partial DenseLayer Block3Layer24 { get; }
    [BatchNorm(Name = "norm"), ReLU(Name = "relu"), Conv2d(512, 1, Bias = false, Name = "conv"), AvgPool2d(2, Name = "pool")]
    public partial Sequential Transition3 { get; }

    // Dense block 4: 16 layers, 512 → 1024 channels
    public partial DenseLayer Block4Layer1 { get; }
    public partial DenseLayer Block4Layer2 { get; }
    public partial DenseLayer Block4Layer3 { get; }
    public partial DenseLayer Block4Layer4 { get; }
    public partial DenseLayer Block4Layer5 { get; }
    public partial DenseLayer Block4Layer6 { get; }
    public partial DenseLayer Block4Layer7 { get; }
    public partial DenseLayer Block4Layer8 { get; }
    public partial DenseLayer Block4Layer9 { get; }
    public partial DenseLayer Block4Layer10 { get; }
    public partial DenseLayer Block4Layer11 { get; }
    public partial DenseLayer Block4Layer12 { get; }
    public partial DenseLayer Block4Layer13 { get; }
    public partial DenseLayer Block4Layer14 { get; }
    public partial DenseLayer Block4Layer15 { get; }
    public partial DenseLayer Block4Layer16 { get; }

    [BatchNorm(Name = "norm5"), ReLU, GlobalAvgPool, Dense(1000, Name = "classifier")]
    public partial Sequential Final { get; }
}

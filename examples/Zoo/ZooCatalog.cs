using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace Zoo;

/// <summary>The architectures <c>examples/Zoo</c> declares, by torchvision's names, in torchvision's order.</summary>
public static class ZooCatalog
{
    public static IReadOnlyList<Architecture> All { get; } = new[]
    {
        Architecture.Classifier("resnet18", () => new ResNet18()),
        Architecture.Classifier("resnet50", () => new ResNet50()),
        Architecture.Classifier("squeezenet1_1", () => new SqueezeNet11()),
        Architecture.Classifier("googlenet", () => new GoogLeNet()),
        Architecture.Classifier("densenet121", () => new DenseNet121()),
        Architecture.Classifier("vgg11_bn", () => new Vgg11Bn()),
        Architecture.Classifier("mobilenet_v2", () => new MobileNetV2()),
        Architecture.Classifier("mnasnet0_5", () => new MnasNet05()),
        Architecture.Classifier("mobilenet_v3_small", () => new MobileNetV3Small()),
        Architecture.Classifier("efficientnet_b0", () => new EfficientNetB0()),
        Architecture.Classifier("regnet_y_400mf", () => new RegNetY400MF()),
        Architecture.Classifier("shufflenet_v2_x1_0", () => new ShuffleNetV2X10()),
        Architecture.Classifier("convnext_tiny", () => new ConvNeXtTiny()),
        Architecture.Classifier("vit_b_16", () => new VitB16()),
        Architecture.Classifier("lraspp_mobilenet_v3_large", () => new LrasppMobileNetV3Large(), output: "out"),
        Architecture.Outputs<FcnResNet50, FcnResNet50.Outputs>("fcn_resnet50", () => new FcnResNet50(), o => new Dictionary<string, Tensor> { ["out"] = o.Out, ["aux"] = o.Aux }),
    };

    /// <summary>The entry named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No such architecture; the message lists those there are.</exception>
    public static Architecture Find(string name)
        => All.FirstOrDefault(a => a.Name == name)
           ?? throw new ArgumentException($"Unknown architecture '{name}'. The zoo has: {string.Join(", ", All.Select(a => a.Name))}.");
}

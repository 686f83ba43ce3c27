using System;
using System.Collections.Generic;
using System.Linq;

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
    };

    /// <summary>The entry named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No such architecture; the message lists those there are.</exception>
    public static Architecture Find(string name)
        => All.FirstOrDefault(a => a.Name == name)
           ?? throw new ArgumentException($"Unknown architecture '{name}'. The zoo has: {string.Join(", ", All.Select(a => a.Name))}.");
}

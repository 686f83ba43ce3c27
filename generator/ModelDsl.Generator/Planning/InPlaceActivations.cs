using System.Collections.Generic;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning;

/// <summary>
/// A ReLU or ReLU6 right after a convolution, Dense or BatchNorm in the same chain overwrites that layer's output instead
/// of writing a new tensor (PyTorch's <c>inplace=True</c>, as torchvision builds its networks): the layer before it never
/// reads its output in backward (<see cref="PlannedLayer.OutputOverwritable"/>), and the activation's backward reads the
/// activation's own output (<see cref="PlannedLayer.InPlaceConstruction"/>), so autograd is intact and the values are the
/// same. It saves a tensor and a pass over memory per activation, which is what bounds a network such as MobileNetV2
/// on its large early feature maps. The first layer of a chain never runs in place: its input is the block's, which a
/// shortcut, another block or the caller may still read.
/// </summary>
internal static class InPlaceActivations
{
    /// <summary>Switches the layers of <paramref name="chain"/> from <paramref name="start"/> on to their in-place construction where the layer before them allows it.</summary>
    public static void Apply(List<PlannedLayer> chain, int start = 0)
    {
        for (int i = start + 1; i < chain.Count; i++)
        {
            if (chain[i].InPlaceConstruction is { } inPlace && chain[i - 1].OutputOverwritable) chain[i] = chain[i] with { Construction = inPlace };
        }
    }
}

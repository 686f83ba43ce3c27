using System;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning;

/// <summary>Facts about activations that several rules need: which names are activations, and He gains.</summary>
internal static class Activations
{
    public static bool IsActivation(string name) => name is "ReLU" or "LeakyReLU" or "Tanh" or "Sigmoid" or "GELU" or "Softmax" or "LogSoftmax";

    /// <summary>Layers an activation search looks through: they neither mix units nor change what the activation sees per unit.</summary>
    public static bool IsTransparent(string name) => name is "BatchNorm" or "LayerNorm" or "Dropout" or "GaussianNoise" or "InstanceNorm" or "GroupNorm" or "Dropout2d"
        or "MaxPool2d" or "AvgPool2d"; // pooling acts per channel and commutes with a rectifier, so a conv's init still sees the ReLU after it

    public static bool IsSaturating(string name) => name is "Tanh" or "Sigmoid";

    public static bool IsRectifier(string name) => name is "ReLU" or "LeakyReLU" or "GELU";

    public static bool IsOutputOnly(string name) => name is "Softmax" or "LogSoftmax";

    /// <summary>The negative slope of a LeakyReLU declaration (0 for any other activation).</summary>
    public static double Slope(AttributeDeclaration? activation)
        => activation?.Name == "LeakyReLU" ? activation.Number("Slope", 0.01) : 0.0;

    /// <summary>He's gain √(2/(1 + a²)) for a rectifier with negative slope a (√2 for ReLU).</summary>
    public static double HeGain(double slope) => Math.Sqrt(2.0 / (1 + slope * slope));

    /// <summary>The module and code for an activation by name (also used by Dense's inline Activation).</summary>
    public static LayerPart? Module(string name, double slope, Helpers.EquatableArray<long> shape)
    {
        const string nn = "global::TorchSharp.torch.nn";
        const string modules = "global::TorchSharp.Modules";
        string lower = name.ToLowerInvariant();
        return name switch
        {
            "ReLU" => LayerPart.Simple(lower, "ReLU", modules + ".ReLU", nn + ".ReLU()", shape, "max(0, x)"),
            "LeakyReLU" => LayerPart.Simple(lower, "LeakyReLU(" + Helpers.Invariant.Short(slope) + ")", modules + ".LeakyReLU",
                nn + ".LeakyReLU(negative_slope: " + Helpers.Invariant.Double(slope) + ")", shape, "x if x ≥ 0, else " + Helpers.Invariant.Short(slope) + "·x"),
            "Tanh" => LayerPart.Simple(lower, "Tanh", modules + ".Tanh", nn + ".Tanh()", shape, "tanh(x)"),
            "Sigmoid" => LayerPart.Simple(lower, "Sigmoid", modules + ".Sigmoid", nn + ".Sigmoid()", shape, "1 / (1 + e^−x)"),
            "GELU" => LayerPart.Simple(lower, "GELU", modules + ".GELU", nn + ".GELU()", shape, "x·Φ(x)"),
            "Softmax" => LayerPart.Simple(lower, "Softmax", modules + ".Softmax", nn + ".Softmax(dim: -1)", shape, "probabilities over the last dimension"),
            "LogSoftmax" => LayerPart.Simple(lower, "LogSoftmax", modules + ".LogSoftmax", nn + ".LogSoftmax(dim: -1)", shape, "log-probabilities over the last dimension"),
            _ => null,
        };
    }
}

using System;

namespace ModelDsl.Onnx;

/// <summary>A model, or one of its layers, has no ONNX form, so no file was written.</summary>
public sealed class OnnxExportException : Exception
{
    /// <summary>Describes why <paramref name="model"/> cannot be exported.</summary>
    /// <param name="model">The model's class name.</param>
    /// <param name="layer">The layer's state_dict path (<c>hidden.dense</c>), or null when the model as a whole is the problem.</param>
    /// <param name="reason">What is wrong, and what to change.</param>
    public OnnxExportException(string model, string? layer, string reason)
        : base(layer is null ? $"{model} cannot be exported to ONNX: {reason}" : $"{model} cannot be exported to ONNX: layer '{layer}' {reason}")
    {
        Model = model;
        Layer = layer;
    }

    /// <summary>The model's class name.</summary>
    public string Model { get; }

    /// <summary>The layer's path, or null.</summary>
    public string? Layer { get; }
}

using ModelDsl.Onnx;

namespace ModelDsl.Kinds;

/// <summary>
/// One of ModelDsl's own layers that a generated model's chain can hold: it writes its eval-mode ONNX form itself.
/// A module of this assembly that is not a chain layer (an ensemble, the layer inside an encoder) implements only
/// <see cref="ILayerKind"/>, and <see cref="LayerExporter"/> refuses it.
/// </summary>
internal interface IOnnxLayer : ILayerKind
{
    /// <summary>
    /// Writes the layer's nodes (opset 17) applied to the value <paramref name="input"/>, with node and initializer names
    /// starting with <paramref name="name"/> (its state_dict path); returns the output value's name.
    /// </summary>
    string ExportOnnx(LayerExportContext context, string name, string input);
}

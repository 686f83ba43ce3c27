using ModelDsl.Kinds;
using ModelDsl.Onnx;

namespace ModelDsl;

// What the runtime knows about max pooling as a layer kind.
public sealed partial class MaxPooling2D : IOnnxLayer
{
    bool ILayerKind.DrawsFromGlobalGenerator => false;

    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;

    /// <summary>ONNX MaxPool, as TorchSharp's MaxPool2d exports.</summary>
    string IOnnxLayer.ExportOnnx(LayerExportContext context, string name, string input)
        => TorchOnnxForms.MaxPool(context.Graph, name, input, kernel, stride, padding, new[] { 1L, 1L }, CeilMode);
}

using ModelDsl.Kinds;
using ModelDsl.Onnx;
using static ModelDsl.Onnx.OnnxGraphBuilder;

namespace ModelDsl;

// What the runtime knows about max pooling as a layer kind.
public sealed partial class MaxPooling2D : IOnnxLayer
{
    bool ILayerKind.DrawsFromGlobalGenerator => false;

    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;

    /// <summary>ONNX MaxPool with PyTorch's geometry: the same padding on every side, ceil_mode as set.</summary>
    string IOnnxLayer.ExportOnnx(LayerExportContext context, string name, string input)
        => context.Graph.Node("MaxPool", name, new[] { input }, Ints("kernel_shape", kernel), Ints("strides", stride),
            Ints("pads", new[] { Padding, Padding, Padding, Padding }), Ints("dilations", new[] { 1L, 1L }), Int("ceil_mode", CeilMode ? 1 : 0));
}

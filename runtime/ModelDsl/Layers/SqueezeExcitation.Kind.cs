using ModelDsl.Kinds;
using ModelDsl.Onnx;

namespace ModelDsl;

// What the runtime knows about squeeze-excitation as a layer kind.
public sealed partial class SqueezeExcitation : IOnnxLayer
{
    bool ILayerKind.DrawsFromGlobalGenerator => false;

    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;

    /// <summary>GlobalAveragePool → fc1 as Conv → Relu or x·Sigmoid(x) → fc2 as Conv → Sigmoid or HardSigmoid(1/6, 1/2) → Mul with the input.</summary>
    string IOnnxLayer.ExportOnnx(LayerExportContext context, string name, string input)
    {
        OnnxGraphBuilder g = context.Graph;
        string pooled = g.Node("GlobalAveragePool", name + ".avgpool", new[] { input });
        string squeezed = g.Conv(context.Model, name + ".fc1", pooled, fc1, fc1.weight, fc1.bias);
        string activated = Activation == SqueezeActivation.SiLU
            ? g.Node("Mul", name + ".activation", new[] { squeezed, g.Node("Sigmoid", name + ".activation.sigmoid", new[] { squeezed }) })
            : g.Node("Relu", name + ".activation", new[] { squeezed });
        string expanded = g.Conv(context.Model, name + ".fc2", activated, fc2, fc2.weight, fc2.bias);
        string gate = Scale == SqueezeScale.Hardsigmoid
            ? g.Node("HardSigmoid", name + ".scale_activation", new[] { expanded }, OnnxGraphBuilder.Float("alpha", 1.0 / 6), OnnxGraphBuilder.Float("beta", 0.5))
            : g.Node("Sigmoid", name + ".scale_activation", new[] { expanded });
        return g.Node("Mul", name, new[] { input, gate });
    }
}

using System.Collections.Generic;
using ModelDsl.Kinds;
using static TorchSharp.torch;

namespace ModelDsl.Onnx;

/// <summary>
/// Writes a chain of layers as ONNX nodes with their eval-mode semantics (opset 17). Each layer kind writes its own
/// nodes: ModelDsl's modules as <see cref="IOnnxLayer"/> (their <c>*.Kind.cs</c> files), TorchSharp's through
/// <see cref="TorchLayerKinds"/>; this class walks the chain and folds each batch norm into the Dense or Conv2d before it.
/// Dropout and noise are the identity in eval and write no node; the weight-scaling dropout writes its eval-time scale.
/// </summary>
internal sealed class LayerExporter
{
    private readonly OnnxGraphBuilder g;
    private readonly string model;
    private readonly OnnxExportOptions options;
    private string? mask;

    public LayerExporter(OnnxGraphBuilder graph, string modelName, OnnxExportOptions options)
    {
        g = graph;
        model = modelName;
        this.options = options;
    }

    /// <summary>
    /// Writes <paramref name="chain"/> applied to the value <paramref name="input"/>; returns the last value's name.
    /// <paramref name="paddingMask"/> is the bool [B, T] value (true at padding) the masked links read.
    /// </summary>
    public string Write(IReadOnlyList<ChainLink> chain, string input, string prefix = "", string? paddingMask = null)
    {
        string x = input;
        mask = paddingMask;
        for (int i = 0; i < chain.Count; i++)
        {
            ChainLink link = chain[i];
            string name = prefix + link.Path;
            if (options.FoldBatchNorm && i + 1 < chain.Count && BatchNormFolding.CanFold(link.Module, chain[i + 1].Module))
            {
                using var scope = NewDisposeScope();
                (Tensor weight, Tensor bias) = BatchNormFolding.Fold(link.Module, chain[i + 1].Module);
                x = LayerKinds.FoldTarget(link.Module)!.Export(Context(link), link.Module, name, x, weight, bias);
                i++; // the batch norm is now part of this layer
                continue;
            }
            x = Write(link, name, x);
        }
        return x;
    }

    /// <summary>Writes one link, named <paramref name="name"/>, applied to <paramref name="x"/>.</summary>
    internal string Write(ChainLink link, string name, string x) => LayerKinds.ExportOnnx(Context(link), name, x);

    private LayerExportContext Context(ChainLink link) => new(this, g, model, link, mask);
}

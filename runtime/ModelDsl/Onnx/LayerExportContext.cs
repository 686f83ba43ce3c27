using System.Collections.Generic;

namespace ModelDsl.Onnx;

/// <summary>
/// What a layer's ONNX form reads besides the module: the graph being written, the model's name (for refusals), the
/// chain link (path, probe input shape, whether the generated forward passes it the padding mask), the padding mask,
/// and a way back into <see cref="LayerExporter"/> for layers made of sub-chains (a residual unit).
/// </summary>
internal sealed class LayerExportContext
{
    private readonly LayerExporter exporter;

    public LayerExportContext(LayerExporter exporter, OnnxGraphBuilder graph, string model, ChainLink link, string? paddingMask)
    {
        this.exporter = exporter;
        Graph = graph;
        Model = model;
        Link = link;
        PaddingMask = paddingMask;
    }

    public OnnxGraphBuilder Graph { get; }

    /// <summary>The model's name, which every <see cref="OnnxExportException"/> names.</summary>
    public string Model { get; }

    public ChainLink Link { get; }

    /// <summary>The rank of the input the layer receives, batch included (Dense writes Gemm for rank 2, MatMul + Add above).</summary>
    public int Rank => Link.InputShape.Length;

    /// <summary>The bool [B, T] value (true at padding) of the chain being written, whether or not this layer reads it.</summary>
    public string? PaddingMask { get; }

    /// <summary>The padding mask when the generated forward passes it to this layer, else null.</summary>
    public string? LayerMask => Link.Masked ? PaddingMask : null;

    /// <summary>The ONNX value a cross-attention layer reads as its memory [B, S, D]; null for every other layer.</summary>
    public string? Memory => Link.Memory;

    /// <summary>The bool [B, S] padding mask of the memory when it has one (its steps are a padded token input's).</summary>
    public string? MemoryMask => Link.MemoryMask;

    /// <summary>Writes a sub-chain (a residual branch) with the chain's padding mask, folding its batch norms like any chain.</summary>
    public string WriteChain(IReadOnlyList<ChainLink> chain, string input, string prefix) => exporter.Write(chain, input, prefix, PaddingMask);

    /// <summary>Writes one more layer (a residual unit's activation) as a link of its own.</summary>
    public string WriteLayer(ChainLink link, string name, string input) => exporter.Write(link, name, input);

    /// <summary>The refusal of layer <paramref name="name"/> for <paramref name="reason"/>.</summary>
    public OnnxExportException Refuse(string name, string reason) => new(Model, name, reason);

    /// <summary>The refusal of a module type the exporter has no form for.</summary>
    public OnnxExportException NoOnnxForm()
        => new(Model, Link.Path, $"is a {Link.Module.GetType().FullName}, which has no ONNX form in ModelDsl's exporter");
}

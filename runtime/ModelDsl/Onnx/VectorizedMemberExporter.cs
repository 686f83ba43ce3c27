using System.Collections.Generic;
using System.Linq;
using static ModelDsl.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace ModelDsl.Onnx;

/// <summary>
/// Writes member i of a <see cref="VectorizedDenseStack"/> as its own chain of ONNX nodes, slicing that member's weights
/// from the stacked parameters (<c>layer{j}_weight</c> [k, in, out], <c>layer{j}_bias</c> [k, 1, out]). The stack is
/// defined by its <see cref="VectorizedDenseStack.Layers"/> description, so the chain is written from it directly.
/// </summary>
internal sealed class VectorizedMemberExporter
{
    private readonly OnnxGraphBuilder g;
    private readonly VectorizedDenseStack stack;
    private readonly Dictionary<string, Tensor> parameters;

    public VectorizedMemberExporter(OnnxGraphBuilder graph, VectorizedDenseStack stack)
    {
        g = graph;
        this.stack = stack;
        // Read by registered name, never through cached fields, so a converted stack (to(dtype/device)) exports its live tensors.
        parameters = stack.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
    }

    public string Write(int member, string input)
    {
        string x = input;
        using var scope = NewDisposeScope();
        for (int j = 0; j < stack.Layers.Count; j++)
        {
            VectorizedLayer layer = stack.Layers[j];
            string name = $"members.{member}.layer{j}";
            Tensor? weight = parameters.GetValueOrDefault($"layer{j}_weight");
            Tensor? bias = parameters.GetValueOrDefault($"layer{j}_bias");
            VectorizedKind kind = VectorizedLayerKinds.Find(layer.Kind)
                ?? throw new OnnxExportException(stack.GetType().Name, name, $"is a vectorized {layer.Kind} layer, which has no ONNX form in ModelDsl's exporter");
            x = kind.Export(g, layer, name, x, weight, bias, member);
        }
        return x;
    }
}

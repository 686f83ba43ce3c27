using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using ModelDsl.Onnx.Proto;
using TorchSharp.Modules;
using static ModelDsl.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace ModelDsl.Onnx;

/// <summary>
/// Writes a graph model (<see cref="IGraphModel"/>) to ONNX: one graph input per model input (named as declared), each
/// node's join as its ONNX op (Concat, Sum, Mul, Mean: all broadcast as PyTorch does), then the node's block as a chain of
/// layers, and one graph output per model output (<c>output</c> for a model with one, else the output names). A probe
/// batch runs through the same walk in TorchSharp, giving each layer its input shape, and the walk's outputs are checked
/// against the model's own forward before anything is written.
/// </summary>
internal static class GraphExporter
{
    /// <summary>Writes the model's eval-mode graph into <paramref name="g"/> with its inputs and outputs; call inside an eval scope.</summary>
    public static void Write(OnnxGraphBuilder g, nn.Module module, IGraphModel model, string name, ScalarType dtype, Device device, OnnxExportOptions options)
    {
        ModelGraph graph = model.Graph;
        foreach (GraphInput input in graph.Inputs)
            g.Graph.Input.Add(g.Value(input.Name, input.Shape.ToArray(), input.Vocabulary is null ? null : TensorProto.Types.DataType.Int64));
        var outputs = WriteBody(g, module, model, name, dtype, device, options, "", graph.Inputs.Select(i => i.Name).ToList());
        for (int i = 0; i < outputs.Count; i++)
        {
            string onnxName = outputs.Count == 1 ? "output" : graph.Outputs[i].Name;
            g.Node("Identity", onnxName, new[] { outputs[i].Value });
            g.Graph.Output.Add(g.Value(onnxName, outputs[i].Shape.Skip(1).ToArray()));
        }
    }

    /// <summary>
    /// Writes the model's nodes reading the ONNX values <paramref name="inputs"/> (one per model input), with every name
    /// under <paramref name="prefix"/> (an ensemble member's "members.0."); returns each output's value and its probe shape
    /// (batch 2 first). Call inside an eval scope.
    /// </summary>
    public static List<(string Value, long[] Shape)> WriteBody(OnnxGraphBuilder g, nn.Module module, IGraphModel model, string name, ScalarType dtype, Device device,
        OnnxExportOptions options, string prefix, IReadOnlyList<string> inputs)
    {
        ModelGraph graph = model.Graph;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new Generator(20261129);
        var probes = graph.Inputs.Select(i => i.Vocabulary is { } vocabulary
            ? ModuleChain.TokenProbe(vocabulary, i.PaddingIndex, i.Shape[0], device)
            : randn(new long[] { 2 }.Concat(i.Shape).ToArray(), dtype, generator: generator).to(device)).ToList();

        var values = new Dictionary<string, (string Onnx, Tensor Probe)>(StringComparer.Ordinal);
        for (int i = 0; i < graph.Inputs.Count; i++) values[graph.Inputs[i].Name] = (inputs[i], probes[i]);
        // Each token input's padding mask (true at its padding id), written when a node or a memory first reads it.
        var masks = new Dictionary<string, (string Onnx, Tensor Probe)>(StringComparer.Ordinal);
        (string Onnx, Tensor Probe)? Mask(string? input)
        {
            if (input is null) return null;
            if (masks.TryGetValue(input, out var mask)) return mask;
            int index = graph.Inputs.ToList().FindIndex(i => i.Name == input);
            long padding = graph.Inputs[index].PaddingIndex ?? throw new OnnxExportException(name, input, "a node reads the padding mask of an input without a padding id");
            mask = (g.Node("Equal", prefix + input + ".padding_mask", new[] { inputs[index], g.Int64Constant(prefix + input + ".padding_index", new[] { padding }) }), probes[index].eq(padding));
            masks[input] = mask;
            return mask;
        }
        var masked = new HashSet<string>((module as ITokenModel)?.PaddingMaskedLayers ?? Array.Empty<string>(), StringComparer.Ordinal);

        var exporter = new LayerExporter(g, name, options);
        WriteNodes(g, module, graph, values, prefix, "", exporter, Mask, masked);

        List<Tensor> expected = Forward(module, probes);
        var outputs = new List<(string, long[])>();
        foreach (GraphOutput output in graph.Outputs)
        {
            (string value, Tensor probe) = values[output.Node];
            Tensor own = expected[outputs.Count];
            if (options.VerifyForward && !ModuleChain.SameOutput(own, probe))
                throw new OnnxExportException(name, output.Node, "its forward does not compute the declared graph on a probe batch, so the export would differ from the model");
            outputs.Add((value, probe.shape));
        }
        return outputs;
    }

    /// <summary>
    /// Writes a graph's nodes on <paramref name="values"/> (its inputs, by name, as ONNX values with their probes), adding
    /// each node's value; a node whose block is itself a graph (a [Block] template use) is written node by node under its
    /// name. <paramref name="path"/> is the state_dict prefix of <paramref name="module"/> inside the model;
    /// <paramref name="mask"/> gives the padding mask of a token input by name.
    /// </summary>
    private static void WriteNodes(OnnxGraphBuilder g, nn.Module module, ModelGraph graph, Dictionary<string, (string Onnx, Tensor Probe)> values, string prefix, string path,
        LayerExporter exporter, Func<string?, (string Onnx, Tensor Probe)?> mask, HashSet<string> masked)
    {
        var children = module.named_children().ToDictionary(c => c.name, c => c.module, StringComparer.Ordinal);
        var blockNames = new HashSet<string>(graph.Nodes.Select(n => n.Name), StringComparer.Ordinal);
        foreach (GraphNode node in graph.Nodes)
        {
            (string joined, Tensor probe) = Join(g, prefix + path + node.Name + ".join", node, node.Sources.Select(s => values[s]).ToList());
            if (children.TryGetValue(node.Name, out nn.Module? child) && child is IGraphBlock inner)
            {
                // A template use: its own graph, on the joined value as its input, under its name.
                var innerValues = new Dictionary<string, (string Onnx, Tensor Probe)>(StringComparer.Ordinal) { [inner.Graph.Inputs[0].Name] = (joined, probe) };
                WriteNodes(g, child, inner.Graph, innerValues, prefix, path + node.Name + ".", exporter, _ => null, new HashSet<string>());
                values[node.Name] = innerValues[inner.Graph.Outputs[0].Node];
                continue;
            }
            // The node's layers: its block's children, or, for the class-level node x, the model's own layer children.
            bool classLevel = node.Name == "x" && !children.ContainsKey("x");
            IEnumerable<(string Name, nn.Module<Tensor, Tensor> Module)> layers = classLevel
                ? children.Where(c => !blockNames.Contains(c.Key)).Select(c => (c.Key, (nn.Module<Tensor, Tensor>)c.Value))
                : children[node.Name] is Sequential block ? ModuleChain.Children(block) : Array.Empty<(string, nn.Module<Tensor, Tensor>)>();
            string at = path + (classLevel ? "" : node.Name + ".");
            var links = new List<ChainLink>();
            (string Onnx, Tensor Probe)? nodeMask = mask(node.PaddingMaskOf);
            foreach ((string layer, nn.Module<Tensor, Tensor> layerModule) in layers)
            {
                bool readsMask = masked.Contains(at + layer);
                if (node.Memories.FirstOrDefault(m => m.Layer == layer) is { } read && layerModule is ICrossAttentionLayer crossAttention)
                {
                    // A decoder: its memory is another value of the graph, with that value's padding mask.
                    (string Onnx, Tensor Probe) memory = values[read.Value];
                    (string Onnx, Tensor Probe)? memoryMask = mask(read.PaddingMaskOf);
                    links.Add(new ChainLink(layer, layerModule, probe.shape, readsMask, memory.Onnx, memoryMask?.Onnx));
                    probe = crossAttention.forward(probe, memory.Probe, readsMask ? nodeMask?.Probe : null, memoryMask?.Probe);
                    continue;
                }
                links.Add(new ChainLink(layer, layerModule, probe.shape, readsMask));
                probe = readsMask && layerModule is IPaddingMaskedLayer maskedLayer ? maskedLayer.forward(probe, nodeMask?.Probe) : layerModule.forward(probe);
            }
            string result = links.Count == 0 ? joined : exporter.Write(links, joined, prefix + at, nodeMask?.Onnx);
            values[node.Name] = (result, probe);
        }
    }

    /// <summary>A node's join as an ONNX op and on the probe: Concat along the node's dimension, Sum, Mul or Mean (each broadcasts as torch does).</summary>
    private static (string, Tensor) Join(OnnxGraphBuilder g, string at, GraphNode node, List<(string Onnx, Tensor Probe)> sources)
    {
        string[] inputs = sources.Select(s => s.Onnx).ToArray();
        Tensor[] probes = sources.Select(s => s.Probe).ToArray();
        return node.Merge switch
        {
            GraphMerge.From => sources[0],
            GraphMerge.Concatenate => (g.Node("Concat", at, inputs, Int("axis", Axis(node, probes[0]))), cat(probes, Axis(node, probes[0]))),
            GraphMerge.Add => (g.Node("Sum", at, inputs), probes.Skip(1).Aggregate(probes[0], (a, b) => a + b)),
            GraphMerge.Multiply => (g.Node("Mul", at, inputs.Length == 2 ? inputs : new[] { inputs[0], Chain(g, "Mul", at, inputs.Skip(1).ToArray()) }), probes.Skip(1).Aggregate(probes[0], (a, b) => a * b)),
            _ => (g.Node("Mean", at, inputs), probes.Skip(1).Aggregate(probes[0], (a, b) => a + b) / probes.Length),
        };
    }

    /// <summary>A concatenation's dimension: the node's, or for a template's (−1) the one the use's shape gives (<see cref="Merges.ConcatAxis"/>).</summary>
    private static long Axis(GraphNode node, Tensor first) => node.ConcatDimension >= 0 ? node.ConcatDimension : Merges.ConcatAxis(first);

    /// <summary>A binary op folded over several inputs (Mul takes two).</summary>
    private static string Chain(OnnxGraphBuilder g, string op, string at, string[] inputs)
        => inputs.Length == 1 ? inputs[0] : g.Node(op, at + "." + inputs.Length, new[] { inputs[0], Chain(g, op, at, inputs.Skip(1).ToArray()) });

    /// <summary>The model's own forward on the probes, its outputs in declaration order (a Tensor, or the Outputs record's properties).</summary>
    private static List<Tensor> Forward(nn.Module module, List<Tensor> probes)
    {
        MethodInfo forward = module.GetType().GetMethod("forward", probes.Select(_ => typeof(Tensor)).ToArray())
            ?? throw new OnnxExportException(module.GetType().Name, null, $"has no forward taking {probes.Count} tensors");
        object? result = forward.Invoke(module, probes.Cast<object>().ToArray());
        if (result is Tensor single) return new List<Tensor> { single };
        return result!.GetType().GetProperties().Where(p => p.PropertyType == typeof(Tensor)).Select(p => (Tensor)p.GetValue(result)!).ToList();
    }
}

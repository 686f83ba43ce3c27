using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Planning;

namespace ModelDsl.Generator.Emit;

/// <summary>
/// Writes what a graph model adds to a chain: the forward over named values (one local per block, joins written as
/// <c>torch.cat</c>, <c>+</c>, <c>*</c> and the mean), the signature for several inputs, the <c>Outputs</c> record for
/// several outputs, and the graph as data (<c>ModelDsl.ModelGraph</c>) that ONNX export walks.
/// </summary>
internal static class GraphEmitter
{
    private const string Tensor = "global::TorchSharp.torch.Tensor";

    /// <summary>What forward returns: a Tensor, or the Outputs record.</summary>
    public static string Result(ModelPlan plan)
        => plan.Graph is { HasOutputRecord: true } ? TypeScope.NameWithParameters(plan.Type.Model) + ".Outputs" : Tensor;

    /// <summary>The TorchSharp base type: Module&lt;Tensor, …, TResult&gt; with one Tensor per input.</summary>
    public static string BaseType(ModelPlan plan)
    {
        int inputs = plan.Graph?.Inputs.Count ?? 1;
        return "global::TorchSharp.torch.nn.Module<" + string.Concat(Enumerable.Repeat(Tensor + ", ", inputs)) + Result(plan) + ">";
    }

    public static void WriteStaticMembers(SourceWriter w, GraphPlan graph)
    {
        if (graph.Inputs.Count > 1)
        {
            w.Line("private static readonly long[][] inputShapes =")
             .OpenBrace();
            foreach (GraphValue input in graph.Inputs) w.Line("new long[] { " + string.Join(", ", input.Shape) + " },");
            w.Close(";").Line();
        }
        w.Line("private static readonly global::ModelDsl.ModelGraph graph = new global::ModelDsl.ModelGraph(")
         .Indent()
         .Line("new global::ModelDsl.GraphInput[] { " + string.Join(", ", graph.Inputs.Select(Input)) + " },")
         .Line("new global::ModelDsl.GraphNode[]")
         .OpenBrace();
        foreach (GraphNode node in graph.Nodes)
        {
            w.Line($"new({CSharp.String(node.Local)}, global::ModelDsl.GraphMerge.{node.Merge}, new[] {{ {string.Join(", ", node.Sources.Select(CSharp.String))} }}, {node.ConcatDimension}){Masks(node)},");
        }
        w.Close(",")
         .Line("new global::ModelDsl.GraphOutput[] { " + string.Join(", ", graph.Outputs.Select(o => $"new({CSharp.String(o.Name)}, {CSharp.String(o.Node)})")) + " });")
         .Outdent()
         .Line()
         .Line("/// <inheritdoc/>")
         .Line("public global::ModelDsl.ModelGraph Graph => graph;")
         .Line();
    }

    /// <summary>An input as graph data, with its vocabulary and padding id when it holds token ids.</summary>
    private static string Input(GraphValue input)
    {
        string value = $"new({CSharp.String(input.Name)}, new long[] {{ {string.Join(", ", input.Shape)} }})";
        if (input.Tokens is not { } tokens) return value;
        return value + $" {{ Vocabulary = {CSharp.Long(tokens.Vocabulary)}" + (tokens.PaddingIndex is { } id ? $", PaddingIndex = {CSharp.Long(id)}" : "") + " }";
    }

    /// <summary>A node's padding mask and memory reads as graph data (an object initializer), or nothing.</summary>
    private static string Masks(GraphNode node)
    {
        var parts = new List<string>();
        if (node.PaddingMaskOf is { } of) parts.Add($"PaddingMaskOf = {CSharp.String(of)}");
        if (node.Memories.Count > 0)
        {
            parts.Add("Memories = new global::ModelDsl.GraphMemoryRead[] { " + string.Join(", ", node.Memories.Select(m =>
                $"new({CSharp.String(m.LayerName)}, {CSharp.String(m.Value)}, {(m.PaddingMaskOf is { } mask ? CSharp.String(mask) : "null")})")) + " }");
        }
        return parts.Count == 0 ? "" : " { " + string.Join(", ", parts) + " }";
    }

    /// <summary>IGraphModel&lt;TOutput&gt;.Forward: forward over a list of inputs, for code that does not know the arity.</summary>
    public static void WriteListForward(SourceWriter w, ModelPlan plan)
    {
        GraphPlan graph = plan.Graph!;
        string call = string.Join(", ", graph.Inputs.Select((_, i) => $"inputs[{i}]"));
        w.Line("/// <inheritdoc/>")
         .Open($"public {Result(plan)} Forward(global::System.Collections.Generic.IReadOnlyList<{Tensor}> inputs)")
         .Line($"if (inputs.Count != {graph.Inputs.Count}) throw new global::System.ArgumentException({CSharp.String($"{plan.Type.TypeName} takes {graph.Inputs.Count} input(s) ({string.Join(", ", graph.Inputs.Select(i => i.Name))}), but ")} + inputs.Count + \" were given\", nameof(inputs));")
         .Line($"return forward({call});")
         .Close()
         .Line();
    }

    /// <summary>The Outputs record of a model with several outputs, one Tensor per [Output] block.</summary>
    public static void WriteOutputRecord(SourceWriter w, GraphPlan graph)
    {
        if (!graph.HasOutputRecord) return;
        w.Line("/// <summary>What forward returns: one tensor per [Output] block, in declaration order.</summary>");
        foreach (GraphValue output in graph.Outputs)
            w.Line($"/// <param name=\"{output.Name}\">{CSharp.XmlText(Shapes.Format(output.Shape))}, the output of block {output.Name}.</param>");
        w.Line($"public sealed record Outputs({string.Join(", ", graph.Outputs.Select(o => $"{Tensor} {CSharp.Identifier(o.Name)}"))});")
         .Line();
    }

    public static void WriteForward(SourceWriter w, ModelPlan plan, System.Func<PlannedBlock, string> member)
    {
        GraphPlan graph = plan.Graph!;
        string parameters = string.Join(", ", graph.Inputs.Select(i => $"{Tensor} {CSharp.Identifier(i.Name)}"));
        string from = string.Join(" and ", graph.Inputs.Select(i => (graph.Inputs.Count > 1 ? i.Name + " " : "") + Shapes.Format(i.Shape)));
        string to = string.Join(" and ", graph.Outputs.Select(o => (graph.Outputs.Count > 1 ? o.Name + " " : "") + Shapes.Format(o.Shape)));
        w.Line($"/// <summary>Maps {CSharp.XmlText(from)} to {CSharp.XmlText(to)}.</summary>")
         .Open($"public override {Result(plan)} forward({parameters})");
        string type = CSharp.String(plan.Type.TypeName);
        for (int i = 0; i < graph.Inputs.Count; i++)
        {
            string shape = graph.Inputs.Count > 1 ? $"inputShapes[{i}]" : "inputShape";
            string name = graph.Inputs.Count > 1 ? CSharp.String($"{plan.Type.TypeName} (input '{graph.Inputs[i].Name}')") : type;
            w.Line(graph.Inputs[i].Tokens is null
                ? $"global::ModelDsl.ShapeGuard.RequireBatchOf({CSharp.Identifier(graph.Inputs[i].Name)}, {shape}, {name}, this);"
                : $"global::ModelDsl.ShapeGuard.RequireTokensOf({CSharp.Identifier(graph.Inputs[i].Name)}, {shape}, {name});");
        }
        for (int i = 1; i < graph.Inputs.Count; i++)
        {
            w.Line($"global::ModelDsl.ShapeGuard.RequireSameBatch({CSharp.Identifier(graph.Inputs[0].Name)}, {CSharp.String(graph.Inputs[0].Name)}, {CSharp.Identifier(graph.Inputs[i].Name)}, {CSharp.String(graph.Inputs[i].Name)}, {type});");
        }
        foreach (PaddingMaskPlan mask in graph.PaddingMasks)
        {
            string of = graph.Inputs.Count > 1 ? $" of {mask.Input}" : "";
            w.Line($"// True at padding steps{of} (token id {CSharp.Long(mask.PaddingIndex)}): the layers that read it skip them.")
             .Line($"{Tensor} {CSharp.Identifier(mask.Local)} = {CSharp.Identifier(mask.Input)}.eq({CSharp.Long(mask.PaddingIndex)}L);");
        }
        foreach (string input in graph.ChannelsLastInputs)
            w.Line($"{CSharp.Identifier(input)} = global::ModelDsl.ChannelsLast.From({CSharp.Identifier(input)}, this); // channels-last (NHWC) strides where ChannelsLast.Policy chooses them");

        for (int b = 0; b < plan.Blocks.Count; b++)
        {
            PlannedBlock block = plan.Blocks[b];
            GraphNode node = graph.Nodes[b];
            string local = CSharp.Identifier(node.Local);
            string joined = Join(node);
            if (block.MemberName is null)
            {
                w.Line($"{Tensor} {local} = {joined};");
                for (int i = 0; i < block.Layers.Count; i++) w.Line($"{local} = {CSharp.Identifier(block.Layers[i].Name)}.forward({local}{ExtraArguments(node, block, i)});");
            }
            else if (block.Layers.Any(l => l.UsesPaddingMask || l.Memory is not null))
            {
                // A Sequential passes one tensor along, so a block with a layer that reads a mask or a memory is run child by child.
                w.Line($"{Tensor} {local} = {joined};");
                for (int i = 0; i < block.Layers.Count; i++)
                {
                    PlannedLayer layer = block.Layers[i];
                    string cast = layer.Memory is not null ? "global::ModelDsl.ICrossAttentionLayer" : "global::ModelDsl.IPaddingMaskedLayer";
                    w.Line(layer.UsesPaddingMask || layer.Memory is not null
                        ? $"{local} = (({cast}){member(block)}[{i}]).forward({local}{ExtraArguments(node, block, i)});"
                        : $"{local} = {member(block)}[{i}].call({local});");
                }
            }
            else if (block.Layers.Count == 0)
            {
                w.Line($"{Tensor} {local} = {joined};");
            }
            else
            {
                w.Line($"{Tensor} {local} = {member(block)}.forward({joined});");
            }
            if (node.ChannelsLastAfter)
                w.Line($"{local} = global::ModelDsl.ChannelsLast.From({local}, this); // channels-last (NHWC) strides from here where ChannelsLast.Policy chooses them");
        }

        string Returned(GraphValue output)
            => CSharp.Identifier(output.Node) + (graph.ContiguousOutputs && output.Shape.Count == 3 ? ".contiguous()" : "");
        if (graph.HasOutputRecord)
            w.Line($"return new Outputs({string.Join(", ", graph.Outputs.Select(Returned))});");
        else
            w.Line($"return {Returned(graph.Outputs[0])};");
        w.Close();
    }

    /// <summary>
    /// What layer <paramref name="i"/> of a block gets besides its input: a decoder its memory and both padding masks
    /// (null where a side has none), a mask-reading layer the node's padding mask; else nothing.
    /// </summary>
    private static string ExtraArguments(GraphNode node, PlannedBlock block, int i)
    {
        PlannedLayer layer = block.Layers[i];
        string mask = layer.UsesPaddingMask ? CSharp.Identifier(node.PaddingMask!) : "null";
        if (node.Memories.FirstOrDefault(m => m.Layer == i) is { } memory)
            return $", {CSharp.Identifier(memory.Value)}, {mask}, {(memory.PaddingMask is { } memoryMask ? CSharp.Identifier(memoryMask) : "null")}";
        return layer.UsesPaddingMask ? ", " + mask : "";
    }

    /// <summary>The expression a node reads: a value, or the join of several.</summary>
    private static string Join(GraphNode node)
    {
        var sources = node.Sources.Select(CSharp.Identifier).ToList();
        return node.Merge switch
        {
            MergeKind.From => sources[0],
            MergeKind.Concatenate => $"global::TorchSharp.torch.cat(new[] {{ {string.Join(", ", sources)} }}, {node.ConcatDimension})",
            MergeKind.Add => string.Join(" + ", sources),
            MergeKind.Multiply => string.Join(" * ", sources),
            _ => $"({string.Join(" + ", sources)}) / {sources.Count}.0", // Average
        };
    }
}

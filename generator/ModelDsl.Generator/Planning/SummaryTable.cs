using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning;

/// <summary>The architecture table, computed at compile time: shown in the class's XML doc and by Summary().</summary>
internal static class SummaryTable
{
    /// <param name="regularization">When the model declares weight decay, a Decay column names each layer's group.</param>
    /// <param name="channelsLast">When the forward switches to channels-last activations, a line under the table says where.</param>
    public static string Build(EquatableArray<long> input, EquatableArray<PlannedBlock> blocks, long total, RegularizationPlan? regularization = null,
        ChannelsLastPlan? channelsLast = null, GraphPlan? graph = null)
    {
        bool decay = regularization is { Groups.Count: > 0 };
        var rows = new List<string[]> { new[] { "Layer", "Output", "Params", "Init", "Decay" } };
        // A model whose first layer is an Embedding reads token ids, not features: the table says so on its first row.
        bool tokens = blocks.SelectMany(b => b.Layers).FirstOrDefault()?.Tokens is not null;
        if (graph is null || graph.Inputs.Count == 1 && graph.Inputs[0].Name == "input")
            rows.Add(new[] { tokens ? "input: token ids (Int64)" : "input", Shapes.Format(input), "", "", "" });
        else
            foreach (GraphValue value in graph.Inputs) rows.Add(new[] { "input " + value.Name, Shapes.Format(value.Shape), "", "", "" });
        for (int b = 0; b < blocks.Count; b++)
        {
            PlannedBlock block = blocks[b];
            // A graph node that reads something other than the row above it says what, and the shape it joins to.
            if (graph is not null && Reads(graph, b) is { } reads)
                rows.Add(new[] { $"{graph.Nodes[b].Local} ← {reads}", Shapes.Format(graph.Nodes[b].InputShape), "", "", "" });
            // A template use's parts that join or read by name say so, as a graph's blocks do, before their first layer.
            var joins = new List<(int At, string Text, EquatableArray<long> Shape)>();
            int partStart = 0;
            foreach (TemplatePart part in block.Template?.Parts ?? EquatableArray<TemplatePart>.Empty)
            {
                if (part.Reads is { } partReads) joins.Add((partStart, $"{block.ChildName}.{part.ChildName} ← {partReads}", part.InputShape));
                partStart += part.Layers;
            }
            for (int i = 0; i <= block.Layers.Count; i++)
            {
                foreach (var join in joins.Where(j => j.At == i)) rows.Add(new[] { join.Text, Shapes.Format(join.Shape), "", "", "" });
                if (i == block.Layers.Count) break;
                PlannedLayer layer = block.Layers[i];
                string key = block.ChildName is null ? layer.Name : block.ChildName + "." + layer.Name;
                rows.Add(new[] { $"{key}: {layer.Display}", Shapes.Format(layer.OutputShape), layer.Parameters == 0 ? "" : Invariant.Count(layer.Parameters), layer.InitSummary, decay ? DecayOf(key, regularization!) : "" });
                if (IdentityShortcutAfter(block, i) is { } unit)
                    rows.Add(new[] { $"{block.ChildName}.{unit.Name}.shortcut: identity", Shapes.Format(unit.InputShape), "", "", "" });
            }
        }
        rows.Add(new[] { "total", "", Invariant.Count(total), "", "" });

        int columns = decay ? 5 : 4;
        int[] widths = Enumerable.Range(0, columns).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        for (int r = 0; r < rows.Count; r++)
        {
            if (r == rows.Count - 1 || r == 1) text.Append(Rule(widths)).Append('\n');
            text.Append(Row(rows[r].Take(columns).ToArray(), widths)).Append('\n');
        }
        if (graph is { Outputs.Count: > 1 } || graph?.Outputs[0].Node is { } only && only != graph.Nodes[graph.Nodes.Count - 1].Local)
            text.Append("outputs: ").Append(string.Join(", ", graph!.Outputs.Select(o => $"{o.Name} {Shapes.Format(o.Shape)}"))).Append('\n');
        if (graph is { UsesChannelsLast: true })
            text.Append("memory layout: channels-last (NHWC) after ")
                .Append(string.Join(", ", graph.ChannelsLastInputs.Concat(graph.Nodes.Where(n => n.ChannelsLastAfter).Select(n => n.Local)))).Append('\n');
        if (channelsLast is not null)
            text.Append("memory layout: channels-last (NHWC) ").Append(channelsLast.Block < 0 ? "from the input" : "after " + channelsLast.After).Append('\n');
        return text.ToString().TrimEnd('\n');
    }

    /// <summary>
    /// What graph node <paramref name="index"/> reads when it is not the row above it: "concatenate(b1, b3)", "from stem";
    /// null for a node that reads the node before it.
    /// </summary>
    internal static string? Reads(GraphPlan graph, int index)
    {
        GraphNode node = graph.Nodes[index];
        string previous = index == 0 ? graph.Inputs[0].Node : graph.Nodes[index - 1].Local;
        if (node.Merge == MergeKind.From)
            return node.Sources[0] == previous && (index > 0 || graph.Inputs.Count == 1) ? null : "from " + node.Sources[0];
        return node.Merge.ToString().ToLowerInvariant() + "(" + string.Join(", ", node.Sources) + ")";
    }

    /// <summary>The residual unit whose branch ends at layer <paramref name="index"/> of the block and whose shortcut is the identity (a row of its own), or null.</summary>
    private static ResidualUnitPlan? IdentityShortcutAfter(PlannedBlock block, int index)
    {
        if (block.Residual is null) return null;
        int offset = 0;
        foreach (ResidualUnitPlan unit in block.Residual.Units)
        {
            if (index == offset + unit.Branch - 1) return unit.Shortcut == 0 ? unit : null;
            offset += unit.Branch + unit.Shortcut + unit.Activation;
        }
        return null;
    }

    /// <summary>The groups that decay any of the layer's parameters, with their strengths: "body (L2 1e-4)".</summary>
    private static string DecayOf(string layerKey, RegularizationPlan regularization)
        => string.Join(", ", regularization.Groups
            .Where(g => g.Parameters.Any(p => p.StartsWith(layerKey + ".", StringComparison.Ordinal)))
            .Select(g => g.Name + " (" + string.Join(", ", new[] { g.L2 != 0 ? "L2 " + Invariant.Short(g.L2) : null, g.L1 != 0 ? "L1 " + Invariant.Short(g.L1) : null }.Where(t => t is not null)) + ")"));

    private static string Row(string[] cells, int[] widths)
    {
        var parts = new string[cells.Length];
        for (int c = 0; c < cells.Length; c++)
        {
            parts[c] = c == 2 ? cells[c].PadLeft(widths[c]) : cells[c].PadRight(widths[c]);
        }
        return string.Join("  ", parts).TrimEnd();
    }

    private static string Rule(int[] widths) => string.Join("  ", widths.Select(w => new string('-', w)));
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning;

/// <summary>
/// The architecture table, computed at compile time: shown in the class's XML doc and by Summary(), and folded to a depth
/// by Summary(depth) (torchinfo's <c>depth</c>: rows whose dotted name has more parts than the depth are summed into
/// their ancestor's row).
/// </summary>
internal static class SummaryTable
{
    /// <summary>A table longer than this many rows shows at depth 1 in the class's XML doc (the hover), with a line saying how to see the rest.</summary>
    public const int HoverRows = 40;

    /// <summary>One row: <paramref name="Key"/> is the dotted name it belongs to (null for the inputs), <paramref name="IsLayer"/> false for a join or identity row.</summary>
    private sealed record Row(string? Key, string Label, string Output, long Parameters, string Init, string Decay, bool IsLayer);

    /// <summary>The full table, the tables at depths 1 … (deepest name − 1) that differ from it, and the one the hover shows.</summary>
    public sealed record Tables(string Full, EquatableArray<string> ByDepth, string Hover);

    /// <param name="regularization">When the model declares weight decay, a Decay column names each layer's group.</param>
    /// <param name="channelsLast">When the forward switches to channels-last activations, a line under the table says where.</param>
    public static Tables Build(EquatableArray<long> input, EquatableArray<PlannedBlock> blocks, long total, RegularizationPlan? regularization = null,
        ChannelsLastPlan? channelsLast = null, GraphPlan? graph = null)
    {
        bool decay = regularization is { Groups.Count: > 0 };
        List<Row> rows = Rows(input, blocks, regularization, graph);
        string footer = Footer(channelsLast, graph);
        string full = Format(rows, total, decay, footer);
        int deepest = rows.Max(r => r.Key is null ? 0 : Parts(r.Key));
        var byDepth = new List<string>();
        for (int depth = 1; depth < deepest; depth++) byDepth.Add(Format(Fold(rows, depth), total, decay, footer));
        string hover = rows.Count <= HoverRows || byDepth.Count == 0
            ? full
            : byDepth[0] + "\n" + $"{Invariant.Count(rows.Count)} rows in all: Summary() shows every layer, Summary(depth: 2) one level down.";
        return new Tables(full, byDepth.ToEquatableArray(), hover);
    }

    private static List<Row> Rows(EquatableArray<long> input, EquatableArray<PlannedBlock> blocks, RegularizationPlan? regularization, GraphPlan? graph)
    {
        bool decay = regularization is { Groups.Count: > 0 };
        var rows = new List<Row>();
        // A model whose first layer is an Embedding reads token ids, not features: the table says so on its first row.
        bool tokens = blocks.SelectMany(b => b.Layers).FirstOrDefault()?.Tokens is not null;
        if (graph is null || graph.Inputs.Count == 1 && graph.Inputs[0].Name == "input")
            rows.Add(new Row(null, tokens ? "input: token ids (Int64)" : "input", Shapes.Format(input), 0, "", "", false));
        else
            foreach (GraphValue value in graph.Inputs) rows.Add(new Row(null, "input " + value.Name, Shapes.Format(value.Shape), 0, "", "", false));
        for (int b = 0; b < blocks.Count; b++)
        {
            PlannedBlock block = blocks[b];
            // A graph node that reads something other than the row above it says what, and the shape it joins to.
            if (graph is not null && Reads(graph, b) is { } reads)
                rows.Add(new Row(block.ChildName ?? graph.Nodes[b].Local, $"{graph.Nodes[b].Local} ← {reads}", Shapes.Format(graph.Nodes[b].InputShape), 0, "", "", false));
            // A template use's parts that join or read by name say so, as a graph's blocks do, before their first layer.
            var joins = new List<(int At, Row Row)>();
            int partStart = 0;
            foreach (TemplatePart part in block.Template?.Parts ?? EquatableArray<TemplatePart>.Empty)
            {
                if (part.Reads is { } partReads)
                    joins.Add((partStart, new Row($"{block.ChildName}.{part.ChildName}", $"{block.ChildName}.{part.ChildName} ← {partReads}", Shapes.Format(part.InputShape), 0, "", "", false)));
                partStart += part.Layers;
            }
            for (int i = 0; i <= block.Layers.Count; i++)
            {
                rows.AddRange(joins.Where(j => j.At == i).Select(j => j.Row));
                if (i == block.Layers.Count) break;
                PlannedLayer layer = block.Layers[i];
                string key = block.ChildName is null ? layer.Name : block.ChildName + "." + layer.Name;
                rows.Add(new Row(key, $"{key}: {layer.Display}", Shapes.Format(layer.OutputShape), layer.Parameters, layer.InitSummary, decay ? DecayOf(key, regularization!) : "", true));
                if (IdentityShortcutAfter(block, i) is { } unit)
                    rows.Add(new Row($"{block.ChildName}.{unit.Name}.shortcut", $"{block.ChildName}.{unit.Name}.shortcut: identity", Shapes.Format(unit.InputShape), 0, "", "", false));
            }
        }
        return rows;
    }

    /// <summary>
    /// The rows at <paramref name="depth"/>: consecutive rows whose names share their first <paramref name="depth"/> parts
    /// and have more become one row for that ancestor ("layer1: 10 layers"), with the last one's output, the summed
    /// parameters, and the init and decay columns when all its layers agree.
    /// </summary>
    private static List<Row> Fold(List<Row> rows, int depth)
    {
        var folded = new List<Row>();
        for (int i = 0; i < rows.Count;)
        {
            string? ancestor = rows[i].Key is { } key && Parts(key) > depth ? Prefix(key, depth) : null;
            int end = i + 1;
            while (ancestor is not null && end < rows.Count && rows[end].Key is { } next && Parts(next) > depth && Prefix(next, depth) == ancestor) end++;
            if (ancestor is null || end - i == 1)
            {
                folded.Add(rows[i]);
                i = end;
                continue;
            }
            List<Row> group = rows.GetRange(i, end - i);
            List<Row> layers = group.Where(r => r.IsLayer).ToList();
            string Agreed(System.Func<Row, string> column) => layers.Select(column).Where(c => c.Length > 0).Distinct().Count() == 1 && layers.All(r => column(r).Length > 0) ? column(layers[0]) : "";
            folded.Add(new Row(ancestor, $"{ancestor}: {Invariant.Count(layers.Count)} layer{(layers.Count == 1 ? "" : "s")}", group[group.Count - 1].Output,
                group.Sum(r => r.Parameters), Agreed(r => r.Init), Agreed(r => r.Decay), true));
            i = end;
        }
        return folded;
    }

    private static int Parts(string key) => key.Split('.').Length;

    private static string Prefix(string key, int parts) => string.Join(".", key.Split('.').Take(parts));

    private static string Footer(ChannelsLastPlan? channelsLast, GraphPlan? graph)
    {
        var text = new StringBuilder();
        if (graph is { Outputs.Count: > 1 } || graph?.Outputs[0].Node is { } only && only != graph.Nodes[graph.Nodes.Count - 1].Local)
            text.Append("outputs: ").Append(string.Join(", ", graph!.Outputs.Select(o => $"{o.Name} {Shapes.Format(o.Shape)}"))).Append('\n');
        // ChannelsLast.Policy decides at run time; by default the switch is made while oneDNN runs the convolutions.
        if (graph is { UsesChannelsLast: true })
            text.Append("memory layout: channels-last (NHWC) after ")
                .Append(string.Join(", ", graph.ChannelsLastInputs.Concat(graph.Nodes.Where(n => n.ChannelsLastAfter).Select(n => n.Local)))).Append(WhileOneDnn).Append('\n');
        if (channelsLast is not null)
            text.Append("memory layout: channels-last (NHWC) ").Append(channelsLast.Block < 0 ? "from the input" : "after " + channelsLast.After).Append(WhileOneDnn).Append('\n');
        return text.ToString();
    }

    private const string WhileOneDnn = " while oneDNN runs the convolutions";

    private static string Format(List<Row> body, long total, bool decay, string footer)
    {
        var rows = new List<string[]> { new[] { "Layer", "Output", "Params", "Init", "Decay" } };
        rows.AddRange(body.Select(r => new[] { r.Label, r.Output, r.Parameters == 0 ? "" : Invariant.Count(r.Parameters), r.Init, r.Decay }));
        rows.Add(new[] { "total", "", Invariant.Count(total), "", "" });
        int columns = decay ? 5 : 4;
        int[] widths = Enumerable.Range(0, columns).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        for (int r = 0; r < rows.Count; r++)
        {
            if (r == rows.Count - 1 || r == 1) text.Append(Rule(widths)).Append('\n');
            text.Append(Line(rows[r].Take(columns).ToArray(), widths)).Append('\n');
        }
        return (text + footer).TrimEnd('\n');
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

    private static string Line(string[] cells, int[] widths)
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

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning;

/// <summary>
/// The architecture table, computed at compile time: shown in the class's XML doc and by Summary(), and folded to a depth
/// by Summary(depth) (<see cref="SummaryFold"/>).
/// </summary>
internal static class SummaryTable
{
    /// <summary>A table longer than this many rows shows at depth 1 in the class's XML doc (the hover), with a line saying how to see the rest.</summary>
    public const int HoverRows = 40;

    /// <summary>The full table, the tables at depths 1 … (deepest name − 1), and the one the hover shows.</summary>
    public sealed record Tables(string Full, EquatableArray<string> ByDepth, string Hover);

    /// <param name="regularization">When the model declares weight decay, a Decay column names each layer's group.</param>
    /// <param name="channelsLast">When the forward switches to channels-last activations, a line under the table says where.</param>
    public static Tables Build(EquatableArray<long> input, EquatableArray<PlannedBlock> blocks, long total, RegularizationPlan? regularization = null,
        ChannelsLastPlan? channelsLast = null, GraphPlan? graph = null)
    {
        bool decay = regularization is { Groups.Count: > 0 };
        List<SummaryRow> rows = Rows(input, blocks, regularization, graph);
        string footer = Footer(channelsLast, graph);
        string full = Format(rows, total, decay, footer);
        // Each depth below the deepest name folds rows of its own length of name, so these tables differ from one another and from the full one.
        Dictionary<string, string> holdings = SummaryFold.Holdings(blocks);
        List<string> byDepth = Enumerable.Range(1, Math.Max(0, SummaryFold.Deepest(blocks) - 1))
            .Select(depth => Format(SummaryFold.Fold(rows, depth, holdings), total, decay, footer)).ToList();
        string hover = rows.Count <= HoverRows || byDepth.Count == 0
            ? full
            : byDepth[0] + "\n" + $"{Invariant.Count(rows.Count)} rows in all: Summary() shows every layer, Summary(depth: 2) one level down.";
        return new Tables(full, byDepth.ToEquatableArray(), hover);
    }

    private static List<SummaryRow> Rows(EquatableArray<long> input, EquatableArray<PlannedBlock> blocks, RegularizationPlan? regularization, GraphPlan? graph)
    {
        bool decay = regularization is { Groups.Count: > 0 };
        var rows = new List<SummaryRow>();
        // A model whose first layer is an Embedding reads token ids, not features: the table says so on its first row.
        bool tokens = blocks.SelectMany(b => b.Layers).FirstOrDefault()?.Tokens is not null;
        if (graph is null || graph.Inputs.Count == 1 && graph.Inputs[0].Name == "input")
            rows.Add(NoLayer(null, tokens ? "input: token ids (Int64)" : "input", input));
        else
            foreach (GraphValue value in graph.Inputs) rows.Add(NoLayer(null, "input " + value.Name + (value.Tokens is null ? "" : ": token ids (Int64)"), value.Shape));
        for (int b = 0; b < blocks.Count; b++)
        {
            PlannedBlock block = blocks[b];
            // A graph node that reads something other than the row above it says what, and the shape it joins to.
            if (graph is not null && Reads(graph, b) is { } reads)
                rows.Add(NoLayer(block.ChildName ?? graph.Nodes[b].Local, $"{graph.Nodes[b].Local} ← {reads}", graph.Nodes[b].InputShape));
            // A template use's parts that join or read by name say so, as a graph's blocks do, before their first layer;
            // its residual parts show their identity shortcuts, as a residual block does.
            var joins = new List<(int At, SummaryRow Row)>();
            if (block.Template is { } use) AddPartRows(joins, block.ChildName!, use, 0);
            for (int i = 0; i <= block.Layers.Count; i++)
            {
                foreach (var join in joins)
                {
                    if (join.At == i) rows.Add(join.Row);
                }
                if (i == block.Layers.Count) break;
                PlannedLayer layer = block.Layers[i];
                string key = SummaryFold.Key(block, layer);
                rows.Add(new SummaryRow(key, $"{key}: {layer.Display}", Shapes.Format(layer.OutputShape), layer.Parameters, layer.InitSummary,
                    decay ? DecayOf(key, regularization!) : "", layer.Display));
                if (IdentityShortcutAfter(block, i) is { } unit) rows.Add(IdentityShortcut(block.ChildName, unit));
            }
        }
        return rows;
    }

    /// <summary>
    /// The rows of a template use's parts that are no layer, each at the index of the layer it comes before: the join row
    /// of a part that reads by name (<c>fire2.joined ← concatenate(expand1, expand3)</c>) before its first layer, and the
    /// identity shortcut of a residual part's unit after the unit's branch (<c>stage1.body.1.shortcut: identity</c>); a part
    /// that uses another template adds its own parts' rows after its own.
    /// </summary>
    private static void AddPartRows(List<(int At, SummaryRow Row)> rows, string prefix, TemplateUsePlan use, int start)
    {
        foreach (TemplatePart part in use.Parts)
        {
            string path = prefix + "." + part.ChildName;
            if (part.Reads is { } reads) rows.Add((start, NoLayer(path, $"{path} ← {reads}", part.InputShape)));
            if (part.Template is { } nested) AddPartRows(rows, path, nested, start);
            if (part.Residual is { } residual)
            {
                int offset = start;
                foreach (ResidualUnitPlan unit in residual.Units)
                {
                    if (unit.Shortcut == 0) rows.Add((offset + unit.Branch, IdentityShortcut(path, unit)));
                    offset += unit.Branch + unit.Shortcut + unit.Activation;
                }
            }
            start += part.Layers;
        }
    }

    private static SummaryRow IdentityShortcut(string? block, ResidualUnitPlan unit)
        => NoLayer($"{block}.{unit.Name}.shortcut", $"{block}.{unit.Name}.shortcut: identity", unit.InputShape);

    /// <summary>A row that is no layer (an input, a join, an identity shortcut): no parameters, init or decay.</summary>
    private static SummaryRow NoLayer(string? key, string label, EquatableArray<long> shape) => new(key, label, Shapes.Format(shape), 0, "", "", null);

    private static string Footer(ChannelsLastPlan? channelsLast, GraphPlan? graph)
    {
        var text = new StringBuilder();
        if (graph is { Outputs.Count: > 1 } || graph?.Outputs[0].Node is { } only && only != graph.Nodes[graph.Nodes.Count - 1].Local)
            text.Append("outputs: ").Append(string.Join(", ", graph!.Outputs.Select(o => $"{o.Name} {Shapes.Format(o.Shape)}"))).Append('\n');
        // ChannelsLast.Policy decides at run time, per model (oneDNN, oneMKL's code path, grouped convolutions).
        if (graph is { UsesChannelsLast: true })
            text.Append("memory layout: channels-last (NHWC) after ")
                .Append(string.Join(", ", graph.ChannelsLastInputs.Concat(graph.Nodes.Where(n => n.ChannelsLastAfter).Select(n => n.Local)))).Append(UnderPolicy).Append('\n');
        if (channelsLast is not null)
            text.Append("memory layout: channels-last (NHWC) ").Append(channelsLast.Block < 0 ? "from the input" : "after " + channelsLast.After).Append(UnderPolicy).Append('\n');
        return text.ToString();
    }

    private const string UnderPolicy = " where ChannelsLast.Policy chooses it at run time";

    private static readonly string[] Header = { "Layer", "Output", "Params", "Init", "Decay" };

    // Written straight into one builder: the table is built for every model on every cold run, so no string per cell or line.
    private static string Format(List<SummaryRow> body, long total, bool decay, string footer)
    {
        var rows = new List<string[]>(body.Count + 2) { Header };
        foreach (SummaryRow r in body) rows.Add(new[] { r.Label, r.Output, r.Parameters == 0 ? "" : Invariant.Count(r.Parameters), r.Init, r.Decay });
        rows.Add(new[] { "total", "", Invariant.Count(total), "", "" });
        int columns = decay ? 5 : 4;
        int[] widths = new int[columns];
        int width = 0;
        for (int c = 0; c < columns; c++)
        {
            foreach (string[] row in rows) widths[c] = Math.Max(widths[c], row[c].Length);
            width += widths[c] + 2;
        }
        var text = new StringBuilder((rows.Count + 2) * width + footer.Length);
        for (int r = 0; r < rows.Count; r++)
        {
            if (r == rows.Count - 1 || r == 1) AppendRule(text, widths).Append('\n');
            AppendLine(text, rows[r], widths).Append('\n');
        }
        text.Append(footer);
        int end = text.Length;
        while (end > 0 && text[end - 1] == '\n') end--;
        return text.ToString(0, end);
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

    /// <summary>The first widths.Length cells, padded to their column (Params to the right) and two spaces apart, with no trailing white space.</summary>
    private static StringBuilder AppendLine(StringBuilder text, string[] cells, int[] widths)
    {
        int start = text.Length;
        for (int c = 0; c < widths.Length; c++)
        {
            if (c > 0) text.Append("  ");
            int padding = widths[c] - cells[c].Length;
            if (c == 2) text.Append(' ', padding).Append(cells[c]);
            else text.Append(cells[c]).Append(' ', padding);
        }
        // As string.TrimEnd(): a cell may end in white space of its own, not only the padding.
        int end = text.Length;
        while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
        text.Length = end;
        return text;
    }

    private static StringBuilder AppendRule(StringBuilder text, int[] widths)
    {
        for (int c = 0; c < widths.Length; c++)
        {
            if (c > 0) text.Append("  ");
            text.Append('-', widths[c]);
        }
        return text;
    }
}

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
    public static string Build(EquatableArray<long> input, EquatableArray<PlannedBlock> blocks, long total)
    {
        var rows = new List<string[]> { new[] { "Layer", "Output", "Params", "Init" } };
        rows.Add(new[] { "input", Shapes.Format(input), "", "" });
        foreach (PlannedBlock block in blocks)
        {
            foreach (PlannedLayer layer in block.Layers)
            {
                string key = block.ChildName is null ? layer.Name : block.ChildName + "." + layer.Name;
                rows.Add(new[] { $"{key}: {layer.Display}", Shapes.Format(layer.OutputShape), layer.Parameters == 0 ? "" : Invariant.Count(layer.Parameters), layer.InitSummary });
            }
        }
        rows.Add(new[] { "total", "", Invariant.Count(total), "" });

        int[] widths = Enumerable.Range(0, 4).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        for (int r = 0; r < rows.Count; r++)
        {
            if (r == rows.Count - 1 || r == 1) text.Append(Rule(widths)).Append('\n');
            text.Append(Row(rows[r], widths)).Append('\n');
        }
        return text.ToString().TrimEnd('\n');
    }

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

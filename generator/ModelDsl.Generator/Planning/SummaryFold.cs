using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning;

/// <summary>
/// The architecture table at a depth, as torchinfo's <c>depth</c> and Keras's <c>expand_nested</c> show a model: every
/// row whose dotted name has more parts than the depth folds into one row for its ancestor at that depth
/// (<c>layer1: 3 residual units</c>), where the ancestor's first row was, with the output of its last row, the summed
/// parameters, and the init and decay its layers with parameters agree on. Rows with no more parts than the depth stay
/// as they are, so a graph node's join row (<c>head ← concatenate(a, b)</c>) still shows what the node reads.
/// </summary>
internal static class SummaryFold
{
    /// <summary>How many parts the deepest dotted layer name has: 1 when every layer is class-level, 0 for no layers.</summary>
    public static int Deepest(IEnumerable<PlannedBlock> blocks)
    {
        // Parts(Key(block, layer)) without building the key: this runs for every model, twice.
        int deepest = 0;
        foreach (PlannedBlock block in blocks)
        {
            int blockParts = block.ChildName is null ? 0 : Parts(block.ChildName);
            foreach (PlannedLayer layer in block.Layers) deepest = Math.Max(deepest, blockParts + Parts(layer.Name));
        }
        return deepest;
    }

    /// <summary>The layer's dotted name, its state_dict prefix: <c>conv1</c> at class level, <c>layer1.0.conv1</c> in a block.</summary>
    public static string Key(PlannedBlock block, PlannedLayer layer) => block.ChildName is null ? layer.Name : block.ChildName + "." + layer.Name;

    /// <summary>
    /// What the plan knows an ancestor holds, by dotted name, for the folded row's wording: a residual block's units, each
    /// unit's branch and shortcut, a template use's template. Any other ancestor reads as its layer count.
    /// </summary>
    public static Dictionary<string, string> Holdings(IEnumerable<PlannedBlock> blocks)
    {
        var holdings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (PlannedBlock block in blocks)
        {
            if (block.ChildName is not { } name) continue;
            if (block.Residual is { } residual) AddResidual(holdings, name, residual);
            if (block.Template is { } template) AddTemplate(holdings, name, template, block.Layers.Count);
        }
        return holdings;
    }

    /// <summary>A template use and, within it, its residual parts and the uses of other templates it holds (<c>stage1.block0: MBConv (7 layers)</c>).</summary>
    private static void AddTemplate(Dictionary<string, string> holdings, string name, TemplateUsePlan template, int layers)
    {
        holdings[name] = $"{TypeName(template.TemplateType)} ({Layers(layers)})";
        foreach (TemplatePart part in template.Parts)
        {
            if (part.Residual is { } partResidual) AddResidual(holdings, name + "." + part.ChildName, partResidual);
            if (part.Template is { } nested) AddTemplate(holdings, name + "." + part.ChildName, nested, part.Layers);
        }
    }

    /// <summary>The rows at <paramref name="depth"/> (at least 1): one row per ancestor at that depth, in the order the ancestors first appear.</summary>
    public static List<SummaryRow> Fold(IReadOnlyList<SummaryRow> rows, int depth, IReadOnlyDictionary<string, string> holdings)
    {
        var folded = new List<SummaryRow>(rows.Count);
        var groups = new Dictionary<string, (int At, List<SummaryRow> Rows)>(StringComparer.Ordinal);
        foreach (SummaryRow row in rows)
        {
            if (row.Key is not { } key || Parts(key) <= depth)
            {
                folded.Add(row);
                continue;
            }
            string ancestor = Prefix(key, depth);
            if (!groups.TryGetValue(ancestor, out var group))
            {
                group = (folded.Count, new List<SummaryRow>());
                groups.Add(ancestor, group);
                folded.Add(null!); // the ancestor's row goes here, once all its rows are known
            }
            group.Rows.Add(row);
        }
        foreach (var group in groups) folded[group.Value.At] = Summed(group.Key, group.Value.Rows, holdings);
        return folded;
    }

    private static SummaryRow Summed(string ancestor, List<SummaryRow> rows, IReadOnlyDictionary<string, string> holdings)
    {
        int layers = 0;
        long parameters = 0;
        // A ReLU has no init nor decay to disagree with: only layers with parameters have a say.
        var weighted = new List<SummaryRow>(rows.Count);
        foreach (SummaryRow row in rows)
        {
            parameters = checked(parameters + row.Parameters);
            if (!row.IsLayer) continue;
            layers++;
            if (row.Parameters > 0) weighted.Add(row);
        }
        string holds = holdings.TryGetValue(ancestor, out string? described) ? described
            : rows.Count == 1 && layers == 1 ? rows[0].Layer!   // one layer reads as itself: "head: Dense(10)"
            : Layers(layers);
        return new SummaryRow(ancestor, ancestor + ": " + holds, rows[rows.Count - 1].Output, parameters, Agreed(weighted, r => r.Init), Agreed(weighted, r => r.Decay), holds);
    }

    /// <summary>The column's value when every weighted row has the same one, else empty.</summary>
    private static string Agreed(List<SummaryRow> weighted, Func<SummaryRow, string> column)
    {
        if (weighted.Count == 0) return "";
        string first = column(weighted[0]);
        for (int i = 1; i < weighted.Count; i++)
        {
            if (!string.Equals(column(weighted[i]), first, StringComparison.Ordinal)) return "";
        }
        return first;
    }

    private static void AddResidual(Dictionary<string, string> holdings, string name, ResidualPlan residual)
    {
        holdings[name] = residual.Units.Count == 1 ? "1 residual unit" : $"{Invariant.Count(residual.Units.Count)} residual units";
        foreach (ResidualUnitPlan unit in residual.Units)
            holdings[name + "." + unit.Name] = $"residual unit ({unit.Branch}-layer branch, {(unit.Shortcut == 0 ? "identity" : "projection")} shortcut)";
    }

    private static string Layers(int count) => count == 1 ? "1 layer" : $"{Invariant.Count(count)} layers";

    /// <summary>A template's name as its users wrote it: <c>global::Demo.Fire</c> → <c>Fire</c>.</summary>
    private static string TypeName(string fullyQualified)
    {
        string name = fullyQualified.Replace("global::", "");
        return name.Substring(name.LastIndexOf('.') + 1);
    }

    private static int Parts(string key)
    {
        int parts = 1;
        foreach (char c in key)
        {
            if (c == '.') parts++;
        }
        return parts;
    }

    /// <summary>The first <paramref name="parts"/> parts of a key that has more: <c>layer1.0.conv1</c>, 2 → <c>layer1.0</c>.</summary>
    private static string Prefix(string key, int parts)
    {
        int end = -1;
        for (int i = 0; i < parts; i++) end = key.IndexOf('.', end + 1);
        return key.Substring(0, end);
    }
}

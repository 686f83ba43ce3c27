using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Planning;

namespace ModelDsl.Generator.Emit;

/// <summary>
/// Writes the construction of a [Residual] block: per unit, its branch, shortcut and activation layers as locals with
/// their init calls, then a <c>ModelDsl.ResidualBlock</c> over them, and the block as a Sequential of its units
/// ("0", "1", …), the way torchvision's ResNet stages read.
/// </summary>
internal static class ResidualEmitter
{
    private const string Module = "global::TorchSharp.torch.nn.Module<global::TorchSharp.torch.Tensor, global::TorchSharp.torch.Tensor>";

    /// <summary>Writes the block's units and assigns the Sequential of them to <paramref name="target"/>.</summary>
    public static void Write(SourceWriter w, PlannedBlock block, string target)
    {
        ResidualPlan residual = block.Residual!;
        int unitCount = residual.Units.Count;
        string? activation = residual.Activation;
        w.Line($"// Block {block.MemberName}: {Shapes.Format(block.InputShape)} → {Shapes.Format(block.Layers.Last().OutputShape)}, "
            + $"{unitCount} residual unit{(unitCount == 1 ? "" : "s")} y = {(activation is null ? "" : CSharp.CommentText(activation) + "(")}branch(x) + shortcut(x){(activation is null ? "" : ")")}"
            + (residual.BranchInit == "Default" ? "" : $"; branch init {residual.BranchInit}"));
        int offset = 0;
        var unitLocals = new List<(string Name, string Local)>();
        foreach (ResidualUnitPlan unit in residual.Units)
        {
            var branch = block.Layers.Skip(offset).Take(unit.Branch).ToList();
            var shortcut = block.Layers.Skip(offset + unit.Branch).Take(unit.Shortcut).ToList();
            var after = block.Layers.Skip(offset + unit.Branch + unit.Shortcut).Take(unit.Activation).ToList();
            offset += unit.Branch + unit.Shortcut + unit.Activation;

            foreach (PlannedLayer layer in branch.Concat(shortcut)) WriteLayer(w, block, layer);
            if (shortcut.Count == 0) w.Line($"// {block.ChildName}.{unit.Name}.shortcut: identity").Line();
            foreach (PlannedLayer layer in after) WriteLayer(w, block, layer);

            string unitLocal = Local(block, unit.Name);
            w.Line($"global::ModelDsl.ResidualBlock {unitLocal} = new global::ModelDsl.ResidualBlock(");
            w.Indent();
            w.Line($"new (string, {Module})[]");
            w.OpenBrace();
            foreach (PlannedLayer layer in branch) w.Line($"({CSharp.String(Short(unit, layer.Name))}, {Local(block, layer.Name)}),");
            w.Close(shortcut.Count == 0 && after.Count == 0 ? ");" : ",");
            if (shortcut.Count > 0)
            {
                string parts = string.Join(", ", shortcut.Select(l => $"({CSharp.String(Short(unit, l.Name).Substring("shortcut.".Length))}, {Local(block, l.Name)})"));
                w.Line($"shortcut: global::TorchSharp.torch.nn.Sequential({parts}){(after.Count == 0 ? ");" : ",")}");
            }
            if (after.Count > 0) w.Line($"activation: ({CSharp.String(Short(unit, after[0].Name))}, {Local(block, after[0].Name)}));");
            w.Outdent();
            w.Line();
            unitLocals.Add((unit.Name, unitLocal));
        }
        w.Line($"{target} = global::TorchSharp.torch.nn.Sequential({string.Join(", ", unitLocals.Select(u => $"({CSharp.String(u.Name)}, {u.Local})"))});");
    }

    private static void WriteLayer(SourceWriter w, PlannedBlock block, PlannedLayer layer)
    {
        string local = Local(block, layer.Name);
        w.Line($"// {block.ChildName}.{layer.Name}: {CSharp.CommentText(layer.Display)}: {CSharp.CommentText(layer.Comment)}");
        w.Line($"{layer.ModuleType} {local} = {CallWriter.Write(layer.Construction)};");
        foreach (CallPlan init in layer.Init) w.Line(CallWriter.Write(init, local) + ";");
        w.Line();
    }

    /// <summary>A layer's name inside its unit: "0.conv1" → "conv1", "0.shortcut.conv" → "shortcut.conv".</summary>
    private static string Short(ResidualUnitPlan unit, string name) => name.Substring(unit.Name.Length + 1);

    /// <summary>The constructor local for a layer or unit: stage1 + "0.conv1" → stage1_0_conv1 (a block in a template use, fire2.body, → fire2_body_0_conv1).</summary>
    private static string Local(PlannedBlock block, string name) => CSharp.Identifier((block.ChildName + "_" + name).Replace('.', '_'));
}

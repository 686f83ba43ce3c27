using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning;

/// <summary>
/// Checks the names a declaration gives its layers (<c>Name = "conv1"</c>): a C# identifier (layers on the class become
/// fields), or digits in a named block (a Sequential's child, as PyTorch numbers them), and unique in the block, generated
/// names included; otherwise register_module would throw when the model is built (MD0081, at the layer).
/// </summary>
internal static class LayerNames
{
    public static void Check(BlockDeclaration block, IReadOnlyList<PlannedLayer> layers, List<DiagnosticInfo> diagnostics)
    {
        string where = block.MemberName is null ? "the layers on the class" : $"block {block.MemberName}";
        var taken = new HashSet<string>(System.StringComparer.Ordinal);
        for (int i = 0; i < layers.Count; i++)
        {
            PlannedLayer layer = layers[i];
            string? problem = null;
            if (layer.NamedByUser)
            {
                bool digits = layer.Name.Length > 0 && layer.Name.All(char.IsDigit);
                if (digits && block.MemberName is null)
                    problem = "a layer on the class becomes a field, so its name must be a C# identifier; put the layer in a named block to number it";
                else if (!digits && !SyntaxFacts.IsValidIdentifier(layer.Name))
                    problem = "a layer's name is a C# identifier (conv1, downsample) or, in a named block, digits (0, 1) as nn.Sequential numbers its children; dots and spaces would break the state_dict key";
            }
            if (problem is null && !taken.Add(layer.Name))
                problem = $"another layer of {where} is already named '{layer.Name}'; each layer's name must be unique in its block";
            if (problem is null || layer.Source is not { } source) continue;
            diagnostics.Add(new DiagnosticInfo(Descriptors.LayerNameNotUsable.Id, source.Find("Name")?.Location ?? source.Location,
                new[] { layer.Name, source.Name, where, problem }.ToEquatableArray()));
        }
    }
}

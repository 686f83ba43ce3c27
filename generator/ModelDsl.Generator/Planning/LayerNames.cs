using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning;

/// <summary>
/// Checks the names a declaration gives its layers (<c>Name = "conv1"</c>): a C# identifier (layers on the class become
/// fields), or in a named block digits (a Sequential's child, as PyTorch numbers them) or a dotted path of identifiers
/// and digits (<c>"0.conv"</c>: the key torchvision gives a layer nested in a numbered container, as
/// <c>branch2.0.conv.weight</c>; TorchSharp registers the child under the whole path, so its state_dict keys are
/// torchvision's), and unique in the block, generated names included; otherwise register_module would throw when the
/// model is built or the keys would be ambiguous (MD0081, at the layer).
/// </summary>
internal static class LayerNames
{
    public static void Check(BlockDeclaration block, IReadOnlyList<PlannedLayer> layers, List<DiagnosticInfo> diagnostics)
    {
        // Only messages name the block: built when there is one to write, not for every block of every model.
        string Where() => block.MemberName is null ? "the layers on the class" : $"block {block.MemberName}";
        var taken = new HashSet<string>(System.StringComparer.Ordinal);
        for (int i = 0; i < layers.Count; i++)
        {
            PlannedLayer layer = layers[i];
            string? problem = null;
            if (layer.NamedByUser)
            {
                bool identifier = SyntaxFacts.IsValidIdentifier(layer.Name);
                bool path = layer.Name.Split('.').All(part => part.Length > 0 && (part.All(char.IsDigit) || SyntaxFacts.IsValidIdentifier(part)));
                if (!identifier && path && block.MemberName is null)
                    problem = "a layer on the class becomes a field, so its name must be a C# identifier; put the layer in a named block to number it or give it a path";
                else if (!path)
                    problem = "a layer's name is a C# identifier (conv1, downsample) or, in a named block, digits (0, 1) as nn.Sequential numbers its children, or a dotted path of those (0.conv, as torchvision nests it); spaces and empty parts would break the state_dict key";
                else if (!identifier && !layer.Name.All(char.IsDigit) && block.Residual is not null)
                    problem = "a [Residual] unit registers its branch layers one by one, so they take identifiers or digits, not paths";
                else if (Conflict(layers, i) is { } conflict)
                    problem = conflict;
            }
            if (problem is null && !taken.Add(layer.Name))
                problem = $"another layer of {Where()} is already named '{layer.Name}'; each layer's name must be unique in its block";
            if (problem is null || layer.Source is not { } source) continue;
            diagnostics.Add(new DiagnosticInfo(Descriptors.LayerNameNotUsable.Id, source.Find("Name")?.Location ?? source.Location,
                new[] { layer.Name, source.Name, Where(), problem }.ToEquatableArray()));
        }
    }

    /// <summary>
    /// Why layer <paramref name="i"/>'s path cannot nest: its container (<c>0</c> of <c>0.conv</c>) is also a layer's
    /// name, or the layers under that container are not consecutive (a Sequential holds each container once).
    /// </summary>
    private static string? Conflict(IReadOnlyList<PlannedLayer> layers, int i)
    {
        string name = layers[i].Name;
        for (int dot = name.IndexOf('.'); dot >= 0; dot = name.IndexOf('.', dot + 1))
        {
            string container = name.Substring(0, dot);
            if (layers.Any(l => l.Name == container))
                return $"another layer is named '{container}', which this path uses as a container";
            int previous = i - 1;
            if (previous >= 0 && !layers[previous].Name.StartsWith(container + ".", System.StringComparison.Ordinal)
                && layers.Take(previous).Any(l => l.Name.StartsWith(container + ".", System.StringComparison.Ordinal)))
                return $"the layers under '{container}' must be consecutive, as the children of one nn.Sequential '{container}' are";
        }
        return null;
    }
}

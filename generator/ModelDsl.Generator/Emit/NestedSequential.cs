using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Generator.Emit;

/// <summary>
/// The children of a block's <c>nn.Sequential</c>, with layer names that are paths nested as PyTorch nests them:
/// consecutive layers named <c>0.conv</c>, <c>0.bn</c> become a child Sequential <c>0</c> holding <c>conv</c> and
/// <c>bn</c>, so the state_dict keys read <c>branch2.0.conv.weight</c> and TorchSharp never registers a dotted name
/// (register_module refuses one, as PyTorch's does). A Sequential runs its children in order, so the forward is the
/// same chain. The planner has checked that layers sharing a prefix are consecutive (MD0081).
/// </summary>
internal static class NestedSequential
{
    /// <summary><c>("conv1", a), ("0", nn.Sequential(("conv", b), ("bn", c)))</c> for the layers' (name, local) in order.</summary>
    public static string Children(IReadOnlyList<(string Name, string Local)> layers)
    {
        var children = new List<string>();
        for (int i = 0; i < layers.Count;)
        {
            int dot = layers[i].Name.IndexOf('.');
            if (dot < 0)
            {
                children.Add($"({CSharp.String(layers[i].Name)}, {layers[i].Local})");
                i++;
                continue;
            }
            string head = layers[i].Name.Substring(0, dot + 1);
            var group = new List<(string, string)>();
            for (; i < layers.Count && layers[i].Name.StartsWith(head, System.StringComparison.Ordinal); i++)
                group.Add((layers[i].Name.Substring(head.Length), layers[i].Local));
            children.Add($"({CSharp.String(head.TrimEnd('.'))}, global::TorchSharp.torch.nn.Sequential({Children(group)}))");
        }
        return string.Join(", ", children);
    }
}

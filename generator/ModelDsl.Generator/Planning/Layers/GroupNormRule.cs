using System.Collections.Immutable;
using System.Linq;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [GroupNorm(groups)] → ModelDsl.GroupNormalization(groups, C): per sample over each group of C/groups channels and
/// (H, W) (5.3.3); also takes flat features [B, C], as PyTorch's GroupNorm does. The runtime module replaces TorchSharp's,
/// which rejects rank-2 input and leaves γ and β uninitialized (torch.empty); it starts γ = 1 and β = 0 itself.
/// </summary>
internal sealed class GroupNormRule : LayerRule
{
    public override string Name => "GroupNorm";

    public override ImmutableArray<LayerPart> Plan(LayerContext context)
    {
        long groups = (long)context.Layer.Number("Groups", 0);
        double eps = context.Layer.Number("Eps", 1e-5);
        bool affine = context.Layer.Boolean("Affine", true);
        string display = $"GroupNorm({groups})";
        if (!context.RequirePositive("GroupNorm groups", groups) || !context.RequirePositive("GroupNorm Eps", eps))
            return ImmutableArray<LayerPart>.Empty;
        if (context.Input.Count is not (1 or 3))
        {
            context.Report(Descriptors.NormDoesNotFit, display, Shapes.Format(context.Input), "images [B, C, H, W] or features [B, C]");
            return ImmutableArray<LayerPart>.Empty;
        }
        long channels = context.Input[0];
        if (channels % groups != 0)
        {
            var divisors = Enumerable.Range(1, (int)System.Math.Min(channels, int.MaxValue)).Where(d => channels % d == 0);
            context.Report(Descriptors.GroupsDoNotDivide, groups.ToString(System.Globalization.CultureInfo.InvariantCulture),
                channels.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Join(", ", divisors));
            return ImmutableArray<LayerPart>.Empty;
        }

        string over = context.Input.Count == 3 ? " and (H, W)" : "";
        return ImmutableArray.Create(new LayerPart(
            "groupnorm",
            display,
            "global::ModelDsl.GroupNormalization",
            $"new global::ModelDsl.GroupNormalization({groups}, {channels}, eps: {Invariant.Double(eps)}, affine: {(affine ? "true" : "false")}, dtype: dtype)",
            EquatableArray<string>.Empty,
            $"normalizes each sample over {groups} groups of {channels / groups} channels{over}",
            context.Input,
            affine ? 2 * channels : 0,
            affine ? "γ=1, β=0" : ""));
    }
}

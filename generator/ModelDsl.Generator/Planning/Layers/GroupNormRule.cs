using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [GroupNorm(groups)] → nn.GroupNorm(groups, C): per sample over each group of C/groups channels and (H, W) (5.3.3);
/// also takes flat features [B, C]. TorchSharp's GroupNorm creates γ and β with torch.empty and never fills them
/// (despite its doc comment), so the generated code sets γ = 1 and β = 0 itself.
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
            var divisors = Divisors(channels);
            context.Report(Descriptors.GroupsDoNotDivide, groups.ToString(System.Globalization.CultureInfo.InvariantCulture),
                channels.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Join(", ", divisors));
            return ImmutableArray<LayerPart>.Empty;
        }

        var init = affine
            ? new[] { "global::ModelDsl.Initializers.Constant({layer}.weight!, 1.0);", "global::ModelDsl.Initializers.Zeros({layer}.bias!);" }.ToEquatableArray()
            : EquatableArray<string>.Empty;
        string over = context.Input.Count == 3 ? " and (H, W)" : "";
        return ImmutableArray.Create(new LayerPart(
            "groupnorm",
            display,
            Modules + ".GroupNorm",
            $"{Nn}.GroupNorm({groups}, {channels}, eps: {Invariant.Double(eps)}, affine: {(affine ? "true" : "false")}, dtype: dtype)",
            init,
            $"normalizes each sample over {groups} groups of {channels / groups} channels{over}",
            context.Input,
            affine ? 2 * channels : 0,
            affine ? "γ=1, β=0" : ""));
    }

    /// <summary>The divisors of n in ascending order, found up to √n (n can be as large as a channel count allows).</summary>
    private static IEnumerable<long> Divisors(long n)
    {
        var small = new List<long>();
        var large = new List<long>();
        for (long d = 1; d * d <= n; d++)
        {
            if (n % d != 0) continue;
            small.Add(d);
            if (d != n / d) large.Insert(0, n / d);
        }
        return small.Concat(large);
    }
}

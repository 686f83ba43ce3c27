using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [GroupNorm(groups)] → ModelDsl.GroupNormalization(groups, C): per sample over each group of C/groups channels and
/// (H, W) (5.3.3); also takes flat features [B, C], as PyTorch's GroupNorm does. The runtime module replaces TorchSharp's,
/// which rejects rank-2 input and leaves γ and β uninitialized (torch.empty); it starts γ = 1 and β = 0 itself.
/// </summary>
internal sealed class GroupNormRule : LayerRule
{
    public override string Name => "GroupNorm";

    public override ImmutableDictionary<string, object> Defaults { get; } = ImmutableDictionary<string, object>.Empty.Add("Eps", 1e-5).Add("Affine", true);

    public override LayerTraits Traits => LayerTraits.Transparent;

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        long groups = (long)context.Number("Groups");
        double eps = context.Number("Eps");
        bool affine = context.Boolean("Affine");
        string display = $"GroupNorm({groups})";
        if (!context.RequirePositive("GroupNorm groups", groups) || !context.RequirePositive("GroupNorm Eps", eps))
            return ImmutableArray<PlannedLayer>.Empty;
        if (context.Input.Count is not (1 or 3))
        {
            context.Report(Descriptors.NormDoesNotFit, display, Shapes.Format(context.Input), "images [B, C, H, W] or features [B, C]" + (context.Input.Count == 2 ? InstanceNormRule.SequenceAdvice : ""));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        long channels = context.Input[0];
        if (channels % groups != 0)
        {
            var divisors = Divisors(channels);
            context.Report(Descriptors.GroupsDoNotDivide, groups.ToString(System.Globalization.CultureInfo.InvariantCulture),
                channels.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Join(", ", divisors));
            return ImmutableArray<PlannedLayer>.Empty;
        }

        string over = context.Input.Count == 3 ? " and (H, W)" : "";
        CallPlan construction = CallPlan.New("global::ModelDsl.GroupNormalization", CallArgument.Long(groups), CallArgument.Long(channels),
            CallArgument.Double(eps, "eps"), CallArgument.Bool(affine, "affine"), CallArgument.DType);
        return ImmutableArray.Create(new PlannedLayer(
            "groupnorm",
            display,
            "global::ModelDsl.GroupNormalization",
            construction,
            EquatableArray<CallPlan>.Empty,
            $"normalizes each sample over {groups} groups of {channels / groups} channels{over}",
            context.Input,
            affine ? 2 * channels : 0,
            affine ? "γ=1, β=0" : "") { Kind = Name, Role = LayerRole.Normalization, Gamma = affine ? "Weight" : null, Tensors = PlannedTensor.Affine(affine, channels) });
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

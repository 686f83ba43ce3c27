using System.Collections.Immutable;
using System.Linq;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [LayerNorm] → nn.LayerNorm, per sample (5.3.3): features [B, F] over F; sequences [B, T, F] each step over F (γ, β of
/// shape [F]), as PyTorch's nn.LayerNorm(F) in its transformers, Keras's LayerNormalization(axis=−1) and Ba et al. 2016
/// (§3.1, per time step for RNNs), so a step never reads another (padding included); images [B, C, H, W] over
/// (C, H, W), PyTorch's documented image example nn.LayerNorm([C, H, W]). The table is in docs/dsl-reference.md.
/// </summary>
internal sealed class LayerNormRule : LayerRule
{
    public override string Name => "LayerNorm";

    public override ImmutableDictionary<string, object> Defaults { get; } = ImmutableDictionary<string, object>.Empty.Add("Eps", 1e-5).Add("Affine", true).Add("Channels", false);

    public override LayerTraits Traits => LayerTraits.Transparent;

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        double eps = context.Number("Eps");
        bool affine = context.Boolean("Affine");
        if (!context.RequirePositive("LayerNorm Eps", eps)) return ImmutableArray<PlannedLayer>.Empty;
        if (context.Boolean("Channels")) return PlanChannels(context, eps, affine);
        // A sequence normalizes each step over its features; other inputs over every non-batch dimension.
        bool sequence = context.Input.Count == 2;
        EquatableArray<long> normalized = sequence ? new[] { context.Input[1] }.ToEquatableArray() : context.Input;
        long size = Shapes.Product(normalized);
        return ImmutableArray.Create(new PlannedLayer(
            "layernorm",
            "LayerNorm",
            Modules + ".LayerNorm",
            CallPlan.Method(Nn + ".LayerNorm", CallArgument.Shape(normalized), CallArgument.Double(eps, "eps"), CallArgument.Bool(affine, "elementwise_affine"), CallArgument.DType),
            EquatableArray<CallPlan>.Empty,
            sequence
                ? $"normalizes each step of each sample over its {context.Input[1]} features"
                : $"normalizes each sample over {Shapes.Format(context.Input).Replace("[B, ", "[")}",
            context.Input,
            affine ? checked(2 * size) : 0,
            affine ? "γ=1, β=0" : "")
        {
            Kind = Name,
            Role = LayerRole.Normalization,
            Gamma = affine ? "weight" : null,
            Tensors = PlannedTensor.Affine(affine, normalized.Items.ToArray()),
            Vectorized = context.Input.Count == 1 ? new VectorizedLayerPlan(VectorizedForm.LayerNorm, context.Input[0], 0, affine, null, eps) : null,
        });
    }

    /// <summary>LayerNorm(Channels = true) on an image: ModelDsl.ChannelLayerNorm, each pixel over its C channels (ConvNeXt's LayerNorm2d).</summary>
    private ImmutableArray<PlannedLayer> PlanChannels(LayerContext context, double eps, bool affine)
    {
        if (context.Input.Count != 3)
        {
            context.Report(Diagnostics.Descriptors.NeedsImage, "LayerNorm(Channels = true)", Shapes.Format(context.Input));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        long channels = context.Input[0];
        return ImmutableArray.Create(new PlannedLayer(
            "layernorm",
            "LayerNorm(channels)",
            "global::ModelDsl.ChannelLayerNorm",
            CallPlan.New("global::ModelDsl.ChannelLayerNorm", CallArgument.Long(channels), CallArgument.Double(eps, "eps"), CallArgument.Bool(affine, "affine"), CallArgument.DType),
            EquatableArray<CallPlan>.Empty,
            $"normalizes each pixel over its {channels} channels",
            context.Input,
            affine ? checked(2 * channels) : 0,
            affine ? "γ=1, β=0" : "")
        {
            Kind = Name,
            Role = LayerRole.Normalization,
            Gamma = affine ? "weight" : null,
            Tensors = PlannedTensor.Affine(affine, channels),
        });
    }
}

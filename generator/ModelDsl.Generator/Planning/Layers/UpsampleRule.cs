using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [Upsample(s, Mode)] → nn.Upsample(scale_factor: [s, s], mode: Nearest or Bilinear with align_corners false): [B, C, H, W]
/// → [B, C, ⌊H·s⌋, ⌊W·s⌋] (PyTorch's output size for a scale factor). The scale must be positive (MD0003).
/// </summary>
internal sealed class UpsampleRule : LayerRule
{
    public override string Name => "Upsample";

    public override ImmutableDictionary<string, object> Defaults { get; } = ImmutableDictionary<string, object>.Empty.Add("Mode", "Nearest");

    /// <summary>Upsampling copies or averages neighbours per channel, so an init search may look through it.</summary>
    public override LayerTraits Traits => LayerTraits.Transparent;

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        double scale = context.Number("ScaleFactor");
        string mode = context.Enum("Mode");
        string display = $"Upsample({Invariant.Short(scale)}{(mode == "Nearest" ? "" : ", bilinear")})";
        if (!(scale > 0) || double.IsInfinity(scale))
        {
            context.Report(Descriptors.NonPositiveSize, "Upsample scale factor", Invariant.Short(scale));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        if (context.Input.Count != 3)
        {
            context.Report(Descriptors.NeedsImage, display, Shapes.Format(context.Input));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        long height = (long)System.Math.Floor(context.Input[1] * scale), width = (long)System.Math.Floor(context.Input[2] * scale);
        EquatableArray<long> output = Shapes.Of(context.Input[0], height, width);
        if (height < 1 || width < 1)
        {
            context.Report(Descriptors.SpatialSizeTooSmall, display, Shapes.Format(context.Input), Shapes.Format(output));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        var arguments = new[]
        {
            CallArgument.Doubles(new[] { scale, scale }, "scale_factor"),
            CallArgument.Symbolic(mode == "Nearest" ? "global::TorchSharp.torch.UpsampleMode.Nearest" : "global::TorchSharp.torch.UpsampleMode.Bilinear", "mode"),
        };
        if (mode != "Nearest") arguments = new[] { arguments[0], arguments[1], CallArgument.Bool(false, "align_corners") };
        return ImmutableArray.Create(PlannedLayer.Simple("upsample", display, Modules + ".Upsample", CallPlan.Method($"{Nn}.Upsample", arguments), output,
            $"{(mode == "Nearest" ? "nearest pixel" : "bilinear, align_corners false")}: {Shapes.Format(context.Input)} → {Shapes.Format(output)}") with { Kind = Name, PrefersChannelsLast = true });
    }
}

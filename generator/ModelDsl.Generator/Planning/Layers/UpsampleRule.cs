using System.Collections.Immutable;
using System.Linq;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [Upsample(s, Mode)] → nn.Upsample(scale_factor: [s, s], mode: Nearest or Bilinear with align_corners false): [B, C, H, W]
/// → [B, C, ⌊H·s⌋, ⌊W·s⌋] (PyTorch's output size for a scale factor). The scale must be positive (MD0003).
/// [Upsample(SizeOf = v)] → nn.Upsample(size: [H_v, W_v], …): the height and width of value v (an input or a block planned
/// before), known when the code compiles because a model's shapes are fixed. Exactly one of the two is given (MD0113).
/// </summary>
internal sealed class UpsampleRule : LayerRule
{
    public override string Name => "Upsample";

    public override ImmutableDictionary<string, object> Defaults { get; } = ImmutableDictionary<string, object>.Empty.Add("Mode", "Nearest").Add("SizeOf", ""); // "": no value named, a scale factor instead

    /// <summary>Upsampling copies or averages neighbours per channel, so an init search may look through it.</summary>
    public override LayerTraits Traits => LayerTraits.Transparent;

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        string mode = context.Enum("Mode");
        string? sizeOf = context.Layer.Text("SizeOf");
        string bilinear = mode == "Nearest" ? "" : ", bilinear";
        string display = sizeOf is null ? $"Upsample({Invariant.Short(context.Number("ScaleFactor"))}{bilinear})" : $"Upsample(size of {sizeOf}{bilinear})";
        if (Size(context, sizeOf, display) is not { } size) return ImmutableArray<PlannedLayer>.Empty;
        if (context.Input.Count != 3)
        {
            context.Report(Descriptors.NeedsImage, display, Shapes.Format(context.Input));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        long height = size.Height ?? (long)System.Math.Floor(context.Input[1] * size.Scale);
        long width = size.Width ?? (long)System.Math.Floor(context.Input[2] * size.Scale);
        EquatableArray<long> output = Shapes.Of(context.Input[0], height, width);
        if (height < 1 || width < 1)
        {
            context.Report(Descriptors.SpatialSizeTooSmall, display, Shapes.Format(context.Input), Shapes.Format(output),
                "the output size floor(H·scale) must be at least 1; use a larger scale factor");
            return ImmutableArray<PlannedLayer>.Empty;
        }
        CallArgument target = sizeOf is null
            ? CallArgument.Doubles(new[] { size.Scale, size.Scale }, "scale_factor")
            : CallArgument.Shape(Shapes.Of(height, width), "size");
        var arguments = new[] { target, CallArgument.Symbolic($"global::TorchSharp.torch.UpsampleMode.{mode}", "mode") };
        if (mode != "Nearest") arguments = arguments.Append(CallArgument.Bool(false, "align_corners")).ToArray();
        return ImmutableArray.Create(PlannedLayer.Simple("upsample", display, Modules + ".Upsample", CallPlan.Method($"{Nn}.Upsample", arguments), output,
            $"{(mode == "Nearest" ? "nearest pixel" : "bilinear, align_corners false")}: {Shapes.Format(context.Input)} → {Shapes.Format(output)}") with { Kind = Name, PrefersChannelsLast = true });
    }

    /// <summary>The scale, or the height and width of the value SizeOf names; null after a reported error.</summary>
    private static (double Scale, long? Height, long? Width)? Size(LayerContext context, string? sizeOf, string display)
    {
        bool scaled = context.Layer.Has("ScaleFactor");
        if (sizeOf is null)
        {
            double scale = context.Number("ScaleFactor");
            if (!scaled)
            {
                context.Report(Descriptors.UpsampleSize, display, "it gives neither a scale factor nor SizeOf");
                return null;
            }
            if (!(scale > 0) || double.IsInfinity(scale))
            {
                context.Report(Descriptors.NonPositiveSize, "Upsample scale factor", Invariant.Short(scale));
                return null;
            }
            return (scale, null, null);
        }
        if (scaled)
        {
            context.ReportAt("SizeOf", Descriptors.UpsampleSize, display, $"it gives both a scale factor ({Invariant.Short(context.Number("ScaleFactor"))}) and SizeOf = \"{sizeOf}\"");
            return null;
        }
        if (context.NamedValue("SizeOf", sizeOf, Descriptors.UpsampleSize, display) is not { } shape) return null;
        if (shape.Count != 3)
        {
            context.ReportAt("SizeOf", Descriptors.UpsampleSize, display, $"SizeOf = \"{sizeOf}\" names a value of shape {Shapes.Format(shape)}, which is no image [C, H, W]");
            return null;
        }
        return (0, shape[1], shape[2]);
    }
}

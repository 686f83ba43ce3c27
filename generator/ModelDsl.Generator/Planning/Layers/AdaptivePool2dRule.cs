using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [AdaptiveAvgPool2d(h, w)] and [AdaptiveMaxPool2d(h, w)] → nn.AdaptiveAvgPool2d / nn.AdaptiveMaxPool2d: [B, C, H, W]
/// → [B, C, h, w] for any H and W (PyTorch's adaptive bins: rows ⌊i·H/h⌋ to ⌈(i+1)·H/h⌉ − 1). One-argument
/// attributes give h = w; the sizes must be at least 1 (MD0003).
/// </summary>
internal sealed class AdaptivePool2dRule : LayerRule
{
    private readonly string name;
    private readonly string describe;

    private AdaptivePool2dRule(string name, string describe)
    {
        this.name = name;
        this.describe = describe;
    }

    public static AdaptivePool2dRule Average { get; } = new("AdaptiveAvgPool2d", "mean");

    public static AdaptivePool2dRule Maximum { get; } = new("AdaptiveMaxPool2d", "maximum");

    public override string Name => name;

    /// <summary>Pooling acts per channel and commutes with a rectifier, so a conv's init still sees the ReLU after it.</summary>
    public override LayerTraits Traits => LayerTraits.Transparent;

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        long height = (long)context.Number(context.Layer.Has("Height") ? "Height" : "Size");
        long width = context.Layer.Has("Width") ? (long)context.Number("Width") : height;
        string display = height == width ? $"{name}({height})" : $"{name}({height}, {width})";
        if (!context.RequirePositive(name + " height", height) || !context.RequirePositive(name + " width", width)) return ImmutableArray<PlannedLayer>.Empty;
        if (context.Input.Count != 3)
        {
            context.Report(Descriptors.NeedsImage, display, Shapes.Format(context.Input));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        EquatableArray<long> output = Shapes.Of(context.Input[0], height, width);
        // TorchSharp's AdaptiveMaxPool2d takes only an array; AdaptiveAvgPool2d also a single size, written when square.
        CallArgument size = height == width && name == "AdaptiveAvgPool2d" ? CallArgument.Long(height) : CallArgument.Shape(Shapes.Of(height, width), "output_size");
        return ImmutableArray.Create(PlannedLayer.Simple(name.ToLowerInvariant().Replace("2d", ""), display, Modules + "." + name,
            CallPlan.Method($"{Nn}.{name}", size), output,
            $"{describe} of each of {height}×{width} adaptive bins: {Shapes.Format(context.Input)} → {Shapes.Format(output)}") with { Kind = Name, PrefersChannelsLast = true });
    }
}

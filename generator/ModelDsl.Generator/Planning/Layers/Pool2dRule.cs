using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>What [MaxPool2d(k, Stride)] and [AvgPool2d(k, Stride)] share: image input, stride defaulting to the kernel, shape inference.</summary>
internal abstract class Pool2dRule : LayerRule
{
    /// <summary>The TorchSharp module's name: MaxPool2d or AvgPool2d.</summary>
    protected abstract string Module { get; }

    protected abstract string Describe { get; }

    /// <summary>Stride 0 means unset: the kernel size.</summary>
    public override ImmutableDictionary<string, object> Defaults { get; } = ImmutableDictionary<string, object>.Empty.Add("Stride", 0);

    /// <summary>Pooling acts per channel and commutes with a rectifier, so a conv's init still sees the ReLU after it.</summary>
    public override LayerTraits Traits => LayerTraits.Transparent;

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        if (!PoolWindow.Read(context, Name, out long kernel, out long stride, out string display)) return ImmutableArray<PlannedLayer>.Empty;
        if (context.Input.Count != 3)
        {
            context.Report(Descriptors.NeedsImage, display, Shapes.Format(context.Input));
            return ImmutableArray<PlannedLayer>.Empty;
        }

        long height = SpatialSize.Output(context.Input[1], kernel, stride, 0, 1);
        long width = SpatialSize.Output(context.Input[2], kernel, stride, 0, 1);
        EquatableArray<long> output = Shapes.Of(context.Input[0], height, width);
        if (height < 1 || width < 1)
        {
            context.Report(Descriptors.SpatialSizeTooSmall, display, Shapes.Format(context.Input), Shapes.Format(output));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        return ImmutableArray.Create(PlannedLayer.Simple(Name.ToLowerInvariant().Replace("2d", ""), display, Modules + "." + Module,
            CallPlan.Method($"{Nn}.{Module}", CallArgument.Long(kernel), CallArgument.Long(stride, "stride")), output,
            $"{Describe} of each {kernel}×{kernel} window, stride {stride}: {Shapes.Format(context.Input)} → {Shapes.Format(output)}") with { Kind = Name, PrefersChannelsLast = true });
    }
}

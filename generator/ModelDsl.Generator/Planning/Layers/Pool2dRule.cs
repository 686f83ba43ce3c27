using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>What [MaxPool2d(k, Stride)] and [AvgPool2d(k, Stride)] share: image input, stride defaulting to the kernel, shape inference.</summary>
internal abstract class Pool2dRule : LayerRule
{
    /// <summary>The TorchSharp module's name: MaxPool2d or AvgPool2d.</summary>
    protected abstract string Module { get; }

    protected abstract string Describe { get; }

    public override ImmutableArray<LayerPart> Plan(LayerContext context)
    {
        long kernel = (long)context.Layer.Number("Kernel", 0);
        // Stride 0 means unset (attribute properties cannot be nullable): non-overlapping windows, as PyTorch's default.
        long stride = (long)context.Layer.Number("Stride", 0);
        if (stride == 0) stride = kernel;
        string display = stride == kernel ? $"{Name}({kernel})" : $"{Name}({kernel}, stride {stride})";
        if (!context.RequirePositive(Name + " kernel", kernel) || !context.RequirePositive(Name + " Stride", stride))
            return ImmutableArray<LayerPart>.Empty;
        if (context.Input.Count != 3)
        {
            context.Report(Descriptors.NeedsImage, display, Shapes.Format(context.Input));
            return ImmutableArray<LayerPart>.Empty;
        }

        long height = SpatialSize.Output(context.Input[1], kernel, stride, 0, 1);
        long width = SpatialSize.Output(context.Input[2], kernel, stride, 0, 1);
        EquatableArray<long> output = Shapes.Of(context.Input[0], height, width);
        if (height < 1 || width < 1)
        {
            context.Report(Descriptors.SpatialSizeTooSmall, display, Shapes.Format(context.Input), Shapes.Format(output));
            return ImmutableArray<LayerPart>.Empty;
        }
        return ImmutableArray.Create(LayerPart.Simple(Name.ToLowerInvariant().Replace("2d", ""), display, Modules + "." + Module,
            $"{Nn}.{Module}({kernel}, stride: {stride})", output,
            $"{Describe} of each {kernel}×{kernel} window, stride {stride}: {Shapes.Format(context.Input)} → {Shapes.Format(output)}"));
    }
}

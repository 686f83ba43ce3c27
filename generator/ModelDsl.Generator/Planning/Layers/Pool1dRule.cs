using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [MaxPool1d(k, Stride)] and [AvgPool1d(k, Stride)] → ModelDsl.SequencePool1d over [B, T, F]: T' = ⌊(T − k)/s⌋ + 1,
/// stride defaulting to the kernel. A sequence layer (MD0060 on any other rank).
/// </summary>
internal sealed class Pool1dRule : LayerRule
{
    private readonly bool maximum;

    public Pool1dRule(bool maximum)
    {
        this.maximum = maximum;
        Name = maximum ? "MaxPool1d" : "AvgPool1d";
    }

    public override string Name { get; }

    /// <summary>Stride 0 means unset: the kernel size.</summary>
    public override ImmutableDictionary<string, object> Defaults { get; } = ImmutableDictionary<string, object>.Empty.Add("Stride", 0);

    /// <summary>Pooling acts per feature and commutes with a rectifier, so a conv's init still sees the ReLU after it.</summary>
    public override LayerTraits Traits => LayerTraits.Transparent;

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        if (!PoolWindow.Read(context, Name, out long kernel, out long stride, out string display)) return ImmutableArray<PlannedLayer>.Empty;
        if (context.Input.Count != 2)
        {
            context.Report(Descriptors.NeedsSequence, display, Shapes.Format(context.Input));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        long steps = SpatialSize.Output(context.Input[0], kernel, stride, 0, 1);
        EquatableArray<long> output = Shapes.Of(steps, context.Input[1]);
        if (steps < 1)
        {
            context.Report(Descriptors.SpatialSizeTooSmall, display, Shapes.Format(context.Input), Shapes.Format(output), SpatialSize.WindowTooSmall);
            return ImmutableArray<PlannedLayer>.Empty;
        }
        CallPlan construction = CallPlan.New("global::ModelDsl.SequencePool1d", CallArgument.Bool(maximum, "maximum"), CallArgument.Long(kernel, "kernel"), CallArgument.Long(stride, "stride"));
        return ImmutableArray.Create(PlannedLayer.Simple(maximum ? "maxpool1d" : "avgpool1d", display, "global::ModelDsl.SequencePool1d", construction, output,
            $"{(maximum ? "maximum" : "mean")} of each feature over windows of {kernel} steps, stride {stride}: {Shapes.Format(context.Input)} → {Shapes.Format(output)}") with { Kind = Name });
    }
}

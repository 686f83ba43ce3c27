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

    /// <summary>The module's C# type: TorchSharp's by default.</summary>
    protected virtual string ModuleType => Modules + "." + Module;

    /// <summary>The constructor call, given kernel and stride, then padding and ceil mode where set (named by <see cref="CeilModeName"/>).</summary>
    protected virtual CallPlan Construct(CallArgument[] arguments) => CallPlan.Method($"{Nn}.{Module}", arguments);

    /// <summary>The constructor's name for ceil mode: TorchSharp's <c>ceil_mode</c> by default.</summary>
    protected virtual string CeilModeName => "ceil_mode";

    protected abstract string Describe { get; }

    /// <summary>True for a max pool (<see cref="PlannedLayer.PoolsByMaximum"/>).</summary>
    protected virtual bool PoolsByMaximum => false;

    /// <summary>Stride 0 means unset: the kernel size; no padding, floor rounding.</summary>
    public override ImmutableDictionary<string, object> Defaults { get; } = ImmutableDictionary<string, object>.Empty
        .Add("Stride", 0).Add("Padding", 0).Add("CeilMode", false);

    /// <summary>Pooling acts per channel and commutes with a rectifier, so a conv's init still sees the ReLU after it.</summary>
    public override LayerTraits Traits => LayerTraits.Transparent;

    /// <summary>Arguments of the TorchSharp constructor beyond kernel, stride, padding and ceil mode (AvgPool2d's count_include_pad).</summary>
    protected virtual System.Collections.Generic.IEnumerable<CallArgument> Extra(LayerContext context) => System.Array.Empty<CallArgument>();

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        if (!PoolWindow.Read(context, Name, out long kernel, out long stride, out string display)) return ImmutableArray<PlannedLayer>.Empty;
        if (context.Input.Count != 3)
        {
            context.Report(Descriptors.NeedsImage, display, Shapes.Format(context.Input));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        long padding = (long)context.Number("Padding");
        bool ceil = context.Boolean("CeilMode");
        if (padding < 0 || padding > kernel / 2)
        {
            context.ReportAt("Padding", Descriptors.InvalidPadding, display, $"{padding} (a pooling window pads at most half its kernel: 0 to {kernel / 2})");
            return ImmutableArray<PlannedLayer>.Empty;
        }
        if (padding > 0 || ceil) display = display.TrimEnd(')') + (padding > 0 ? $", padding {padding}" : "") + (ceil ? ", ceil" : "") + ")";

        long height = Output(context.Input[1], kernel, stride, padding, ceil);
        long width = Output(context.Input[2], kernel, stride, padding, ceil);
        EquatableArray<long> output = Shapes.Of(context.Input[0], height, width);
        if (height < 1 || width < 1)
        {
            context.Report(Descriptors.SpatialSizeTooSmall, display, Shapes.Format(context.Input), Shapes.Format(output), SpatialSize.WindowTooSmall);
            return ImmutableArray<PlannedLayer>.Empty;
        }
        // Padding and ceil mode are written only when set, so a plain pool reads as before.
        var arguments = new System.Collections.Generic.List<CallArgument> { CallArgument.Long(kernel), CallArgument.Long(stride, "stride") };
        if (padding > 0) arguments.Add(CallArgument.Long(padding, "padding"));
        if (ceil) arguments.Add(CallArgument.Bool(true, CeilModeName));
        arguments.AddRange(Extra(context));
        return ImmutableArray.Create(PlannedLayer.Simple(Name.ToLowerInvariant().Replace("2d", ""), display, ModuleType, Construct(arguments.ToArray()), output,
            $"{Describe} of each {kernel}×{kernel} window, stride {stride}{(padding > 0 ? $", padding {padding}" : "")}{(ceil ? ", sizes rounded up" : "")}: {Shapes.Format(context.Input)} → {Shapes.Format(output)}") with
            {
                Kind = Name,
                PrefersChannelsLast = true,
                PoolsByMaximum = PoolsByMaximum,
                PoolsBatchNormInside = PoolsByMaximum && kernel == 2 && stride == 2 && padding == 0 && (!ceil || context.Input[1] % 2 == 0 && context.Input[2] % 2 == 0),
            });
    }

    /// <summary>
    /// PyTorch's pooling output size: ⌊(n + 2p − k) / s⌋ + 1, or with ceil mode ⌈…⌉ + 1 less the last window when it would
    /// start in the right padding (torch/nn/modules/pooling.py's shape note; aten's pooling_output_shape).
    /// </summary>
    internal static long Output(long size, long kernel, long stride, long padding, bool ceil)
    {
        long span = size + 2 * padding - kernel;
        if (!ceil) return SpatialSize.Output(size, kernel, stride, padding, 1);
        if (span < 0) return 0;
        long output = (span + stride - 1) / stride + 1;
        if ((output - 1) * stride >= size + padding) output--;
        return output;
    }
}

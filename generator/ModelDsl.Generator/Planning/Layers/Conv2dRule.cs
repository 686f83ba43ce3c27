using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [Conv2d(out, kernel, Stride, Padding, Dilation, Bias)] → nn.Conv2d over [B, C, H, W]. Initialized per its Init options
/// with fan_in = C_in·k·k and fan_out = C_out·k·k (5.1; TorchSharp's CalculateFanInAndFanOut counts the kernel area the
/// same way, so the compile-time summary and the run-time init agree). Padding = Same maps to TorchSharp's Padding.Same.
/// Groups = g splits the channels as torch.nn.Conv2d's groups: the weight is [out, in/g, k, k] and fan_in = (in/g)·k·k,
/// fan_out = (out/g)·k·k (torch.nn.init._calculate_fan_in_and_fan_out reads them from that shape).
/// </summary>
internal sealed class Conv2dRule : LayerRule
{
    /// <summary>The attribute's name, for planners that build a Conv2d (a residual block's 1×1 projection).</summary>
    public const string Attribute = "Conv2d";

    public override string Name => Attribute;

    public override LayerTraits Traits { get; } = LayerTraits.PlainWeights with { StridedInFirstUnitOnly = true };

    public override ImmutableDictionary<string, object> Defaults { get; } = ConvolutionOptions.Defaults.Add("Groups", 1);

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        string display = $"Conv2d({(long)context.Number("OutChannels")}, {(long)context.Number("Kernel")})";
        if (ConvolutionOptions.Read(context, Name, display, 3, Descriptors.NeedsImage) is not { } o) return ImmutableArray<PlannedLayer>.Empty;

        long channels = context.Input[0], height = context.Input[1], width = context.Input[2];
        if (ConvolutionOptions.Groups(context, display, channels, o.OutChannels) is not { } groups) return ImmutableArray<PlannedLayer>.Empty;
        if (groups > 1) display = display.TrimEnd(')') + $", groups {groups})";
        EquatableArray<long> output = Shapes.Of(o.OutChannels, o.Output(height), o.Output(width));
        if (output[1] < 1 || output[2] < 1)
        {
            context.Report(Descriptors.SpatialSizeTooSmall, display, Shapes.Format(context.Input), Shapes.Format(output), SpatialSize.WindowTooSmall);
            return ImmutableArray<PlannedLayer>.Empty;
        }

        long area = o.Kernel * o.Kernel;
        InitPlan.Result? init = InitPlan.Plan(context, display, checked(channels / groups * area), checked(o.OutChannels / groups * area), o.Bias);
        if (init is null) return ImmutableArray<PlannedLayer>.Empty;

        // Padding 0 is left out: a literal 0 also converts to TorchSharp's Padding enum, making the overloads ambiguous.
        var arguments = new System.Collections.Generic.List<CallArgument> { CallArgument.Long(channels), CallArgument.Long(o.OutChannels), CallArgument.Long(o.Kernel), CallArgument.Long(o.Stride, "stride") };
        if (o.Same) arguments.Add(CallArgument.Symbolic("global::TorchSharp.Padding.Same", "padding"));
        else if (o.Padding != 0) arguments.Add(CallArgument.Long(o.Padding, "padding"));
        arguments.Add(CallArgument.Long(o.Dilation, "dilation"));
        if (groups > 1) arguments.Add(CallArgument.Long(groups, "groups"));
        arguments.AddRange(new[] { CallArgument.Bool(o.Bias, "bias"), CallArgument.DType });
        var layer = new PlannedLayer(
            "conv",
            display,
            Modules + ".Conv2d",
            new CallPlan(Nn + ".Conv2d", false, arguments.ToEquatableArray()),
            init.Statements,
            $"{channels} → {o.OutChannels} channels{(groups == 1 ? "" : groups == channels ? ", depthwise" : $" in {groups} groups")}, {o.Geometry}; {init.Summary}",
            output,
            checked(o.OutChannels * (channels / groups) * area + (o.Bias ? o.OutChannels : 0)),
            init.Summary) { Kind = Name, Role = LayerRole.Weights, PrefersChannelsLast = true, WritesChannelsLast = true, OutputOverwritable = true,
            ConvolvesOneChannelThreeByThree = channels == 1 && groups == 1 && o.Kernel == 3 && o.Stride == 1 && (o.Same || o.Padding == 1) && o.Dilation == 1 && !o.Bias,
            Tensors = PlannedTensor.WeightAndBias(o.Bias, o.OutChannels, channels / groups, o.Kernel, o.Kernel) };
        return ActivationRule.WithInline(layer, context.Enum("Activation"), Name, output);
    }
}

using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [ConvTranspose2d(out, kernel, Stride, Padding, OutputPadding, Dilation, Groups, Bias)] → nn.ConvTranspose2d over
/// [B, C, H, W], H' = (H − 1)·s − 2p + d·(k − 1) + output_padding + 1 per side (torch.nn.ConvTranspose2d's shape formula).
/// The weight is [C, out/g, k, k]: fan_in = (out/g)·k·k and fan_out = C·k·k, as torch.nn.init._calculate_fan_in_and_fan_out
/// reads them from that shape. Padding is a whole number (no 'same'), OutputPadding smaller than the stride or the
/// dilation (PyTorch's check): MD0112; groups that do not divide both channel counts: MD0110.
/// </summary>
internal sealed class ConvTranspose2dRule : LayerRule
{
    public override string Name => "ConvTranspose2d";

    public override LayerTraits Traits => LayerTraits.PlainWeights;

    public override ImmutableDictionary<string, object> Defaults { get; } = ConvolutionOptions.Defaults.Add("Groups", 1).Add("OutputPadding", 0);

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        string display = $"ConvTranspose2d({(long)context.Number("OutChannels")}, {(long)context.Number("Kernel")})";
        if (context.Layer.Find("Padding") is { Kind: ArgumentKind.Enum, Text: "Same" })
        {
            context.ReportAt("Padding", Descriptors.TransposedConvolutionOption, display, "Padding = Padding.Same has no transposed form",
                "give the padding as a whole number (torch.nn.ConvTranspose2d takes numbers only)");
            return ImmutableArray<PlannedLayer>.Empty;
        }
        if (ConvolutionOptions.Read(context, Name, display, 3, Descriptors.NeedsImage) is not { } o) return ImmutableArray<PlannedLayer>.Empty;

        long channels = context.Input[0];
        if (ConvolutionOptions.Groups(context, display, channels, o.OutChannels) is not { } groups) return ImmutableArray<PlannedLayer>.Empty;
        double outputPaddingValue = context.Number("OutputPadding");
        if (!(outputPaddingValue >= 0 && outputPaddingValue == System.Math.Floor(outputPaddingValue) && (outputPaddingValue < o.Stride || outputPaddingValue < o.Dilation)))
        {
            context.ReportAt("OutputPadding", Descriptors.TransposedConvolutionOption, display,
                $"OutputPadding = {Invariant.Short(outputPaddingValue)} must be a whole number ≥ 0 smaller than the stride ({o.Stride}) or the dilation ({o.Dilation})",
                "PyTorch refuses a larger one, whose extra rows no input pixel reaches; give a smaller OutputPadding or a larger Stride");
            return ImmutableArray<PlannedLayer>.Empty;
        }
        long outputPadding = (long)outputPaddingValue;
        if (groups > 1) display = display.TrimEnd(')') + $", groups {groups})";
        long Output(long size) => checked((size - 1) * o.Stride - 2 * o.Padding + o.Dilation * (o.Kernel - 1) + outputPadding + 1);
        EquatableArray<long> output = Shapes.Of(o.OutChannels, Output(context.Input[1]), Output(context.Input[2]));
        if (output[1] < 1 || output[2] < 1)
        {
            // The transposed output grows with kernel, stride and dilation and shrinks with padding: the window's advice is backwards here.
            context.Report(Descriptors.SpatialSizeTooSmall, display, Shapes.Format(context.Input), Shapes.Format(output),
                "the output size (H − 1)·stride − 2·padding + dilation·(kernel − 1) + OutputPadding + 1 must be at least 1; use less padding, or a larger kernel, stride or dilation");
            return ImmutableArray<PlannedLayer>.Empty;
        }

        long area = o.Kernel * o.Kernel, perGroup = o.OutChannels / groups;
        InitPlan.Result? init = InitPlan.Plan(context, display, checked(perGroup * area), checked(channels * area), o.Bias);
        if (init is null) return ImmutableArray<PlannedLayer>.Empty;

        // TorchSharp's overloads name their parameters differently across versions, so the sizes go by position.
        var arguments = new System.Collections.Generic.List<CallArgument>
        {
            CallArgument.Long(channels), CallArgument.Long(o.OutChannels), CallArgument.Long(o.Kernel), CallArgument.Long(o.Stride),
            CallArgument.Long(o.Padding), CallArgument.Long(outputPadding), CallArgument.Long(o.Dilation),
        };
        if (groups > 1) arguments.Add(CallArgument.Long(groups, "groups"));
        arguments.AddRange(new[] { CallArgument.Bool(o.Bias, "bias"), CallArgument.DType });
        string geometry = o.Geometry + (outputPadding == 0 ? "" : $", output padding {outputPadding}");
        var weight = new[] { PlannedTensor.Float("weight", channels, perGroup, o.Kernel, o.Kernel) };
        var layer = new PlannedLayer(
            "convtranspose",
            display,
            Modules + ".ConvTranspose2d",
            new CallPlan(Nn + ".ConvTranspose2d", false, arguments.ToEquatableArray()),
            init.Statements,
            $"{channels} → {o.OutChannels} channels{(groups == 1 ? "" : $" in {groups} groups")}, {geometry}: {Shapes.Format(context.Input)} → {Shapes.Format(output)}; {init.Summary}",
            output,
            checked(channels * perGroup * area + (o.Bias ? o.OutChannels : 0)),
            init.Summary)
        {
            Kind = Name,
            OutputOverwritable = true,
            Role = LayerRole.Weights,
            PrefersChannelsLast = true,
            Tensors = (o.Bias ? new[] { weight[0], PlannedTensor.Float("bias", o.OutChannels) } : weight).ToEquatableArray(),
        };
        return ActivationRule.WithInline(layer, context.Enum("Activation"), Name, output);
    }
}

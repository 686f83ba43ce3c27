using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [Conv2d(out, kernel, Stride, Padding, Dilation, Bias)] → nn.Conv2d over [B, C, H, W]. Initialized per its Init options
/// with fan_in = C_in·k·k and fan_out = C_out·k·k (5.1; TorchSharp's CalculateFanInAndFanOut counts the kernel area the
/// same way, so the compile-time summary and the run-time init agree). Padding = Same maps to TorchSharp's Padding.Same.
/// </summary>
internal sealed class Conv2dRule : LayerRule
{
    public override string Name => "Conv2d";

    public override LayerTraits Traits => LayerTraits.Weights;

    public override ImmutableDictionary<string, object> Defaults { get; } = ParametrizedOptions.With(("Stride", 1), ("Dilation", 1), ("Bias", true), ("Activation", "None"));

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        AttributeDeclaration layer = context.Layer;
        long outChannels = (long)context.Number("OutChannels");
        long kernel = (long)context.Number("Kernel");
        long stride = (long)context.Number("Stride");
        long dilation = (long)context.Number("Dilation");
        bool bias = context.Boolean("Bias");
        string display = $"Conv2d({outChannels}, {kernel})";

        if (!context.RequirePositive("Conv2d output channels", outChannels) || !context.RequirePositive("Conv2d kernel", kernel)
            || !context.RequirePositive("Conv2d Stride", stride) || !context.RequirePositive("Conv2d Dilation", dilation))
            return ImmutableArray<PlannedLayer>.Empty;
        if (context.Input.Count != 3)
        {
            context.Report(Descriptors.NeedsImage, display, Shapes.Format(context.Input));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        if (!ReadPadding(context, display, out long padding, out bool same)) return ImmutableArray<PlannedLayer>.Empty;
        if (same && stride != 1)
        {
            context.Report(Descriptors.SamePaddingNeedsStrideOne, display, stride.ToString(System.Globalization.CultureInfo.InvariantCulture),
                (dilation * (kernel - 1) / 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
            return ImmutableArray<PlannedLayer>.Empty;
        }

        long channels = context.Input[0], height = context.Input[1], width = context.Input[2];
        long outHeight = same ? height : SpatialSize.Output(height, kernel, stride, padding, dilation);
        long outWidth = same ? width : SpatialSize.Output(width, kernel, stride, padding, dilation);
        EquatableArray<long> output = Shapes.Of(outChannels, outHeight, outWidth);
        if (outHeight < 1 || outWidth < 1)
        {
            context.Report(Descriptors.SpatialSizeTooSmall, display, Shapes.Format(context.Input), Shapes.Format(output));
            return ImmutableArray<PlannedLayer>.Empty;
        }

        long area = kernel * kernel;
        InitPlan.Result? init = InitPlan.Plan(context, display, checked(channels * area), checked(outChannels * area), bias);
        if (init is null) return ImmutableArray<PlannedLayer>.Empty;

        // Padding 0 is left out: a literal 0 also converts to TorchSharp's Padding enum, making the overloads ambiguous.
        var arguments = new System.Collections.Generic.List<CallArgument> { CallArgument.Long(channels), CallArgument.Long(outChannels), CallArgument.Long(kernel), CallArgument.Long(stride, "stride") };
        if (same) arguments.Add(CallArgument.Symbolic("global::TorchSharp.Padding.Same", "padding"));
        else if (padding != 0) arguments.Add(CallArgument.Long(padding, "padding"));
        arguments.AddRange(new[] { CallArgument.Long(dilation, "dilation"), CallArgument.Bool(bias, "bias"), CallArgument.DType });
        string geometry = $"k {kernel}, stride {stride}, padding {(same ? "same" : padding.ToString(System.Globalization.CultureInfo.InvariantCulture))}"
            + (dilation == 1 ? "" : $", dilation {dilation}");
        var builder = ImmutableArray.CreateBuilder<PlannedLayer>();
        builder.Add(new PlannedLayer(
            "conv",
            display,
            Modules + ".Conv2d",
            new CallPlan(Nn + ".Conv2d", false, arguments.ToEquatableArray()),
            init.Statements,
            $"{channels} → {outChannels} channels, {geometry}; {init.Summary}",
            output,
            checked(outChannels * channels * area + (bias ? outChannels : 0)),
            init.Summary) { Kind = Name, Role = LayerRole.Weights });
        if (ActivationRule.Inline(context.Enum("Activation"), Name, output) is { } activation) builder.Add(activation);
        return builder.ToImmutable();
    }

    /// <summary>Padding is typed object on the attribute: absent, a whole number ≥ 0, or Padding.Same / Padding.Valid.</summary>
    private static bool ReadPadding(LayerContext context, string display, out long padding, out bool same)
    {
        padding = 0;
        same = false;
        ArgumentValue? argument = context.Layer.Find("Padding");
        if (argument is null || argument.Kind == ArgumentKind.Null) return true;
        if (argument.Kind == ArgumentKind.Enum && argument.Text is "Same" or "Valid")
        {
            same = argument.Text == "Same";
            return true;
        }
        if (argument.Kind == ArgumentKind.Number && argument.Number >= 0 && argument.Number == System.Math.Floor(argument.Number))
        {
            padding = (long)argument.Number;
            return true;
        }
        string shown = argument.Kind switch
        {
            ArgumentKind.Number => Invariant.Short(argument.Number),
            ArgumentKind.Text => "\"" + argument.Text + "\"",
            ArgumentKind.Boolean => argument.Number != 0 ? "true" : "false",
            _ => argument.Text ?? argument.Kind.ToString(),
        };
        context.Report(Descriptors.InvalidPadding, display, shown);
        return false;
    }
}

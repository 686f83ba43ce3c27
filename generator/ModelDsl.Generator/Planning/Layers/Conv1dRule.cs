using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [Conv1d(out, kernel, Stride, Padding, Dilation, Bias)] → ModelDsl.SequenceConv1d over [B, T, F] (batch first,
/// features last; the module transposes around PyTorch's channels-first conv1d). T' = ⌊(T + 2p − d(k−1) − 1)/s⌋ + 1;
/// parameters C·F·k + C. Initialized per its Init options with fan_in = F·k and fan_out = C·k, as TorchSharp's
/// CalculateFanInAndFanOut counts a [C, F, k] weight.
/// </summary>
internal sealed class Conv1dRule : LayerRule
{
    public override string Name => "Conv1d";

    public override LayerTraits Traits => LayerTraits.Weights;

    public override ImmutableDictionary<string, object> Defaults => ConvolutionOptions.Defaults;

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        string display = $"Conv1d({(long)context.Number("OutChannels")}, {(long)context.Number("Kernel")})";
        if (ConvolutionOptions.Read(context, Name, display, 2, Descriptors.NeedsSequence) is not { } o) return ImmutableArray<PlannedLayer>.Empty;

        long steps = context.Input[0], features = context.Input[1];
        EquatableArray<long> output = Shapes.Of(o.Output(steps), o.OutChannels);
        if (output[0] < 1)
        {
            context.Report(Descriptors.SpatialSizeTooSmall, display, Shapes.Format(context.Input), Shapes.Format(output), SpatialSize.WindowTooSmall);
            return ImmutableArray<PlannedLayer>.Empty;
        }

        InitPlan.Result? init = InitPlan.Plan(context, display, checked(features * o.Kernel), checked(o.OutChannels * o.Kernel), o.Bias);
        if (init is null) return ImmutableArray<PlannedLayer>.Empty;

        var arguments = new System.Collections.Generic.List<CallArgument> { CallArgument.Long(features), CallArgument.Long(o.OutChannels), CallArgument.Long(o.Kernel) };
        if (o.Stride != 1) arguments.Add(CallArgument.Long(o.Stride, "stride"));
        if (o.Same) arguments.Add(CallArgument.Bool(true, "same"));
        else if (o.Padding != 0) arguments.Add(CallArgument.Long(o.Padding, "padding"));
        if (o.Dilation != 1) arguments.Add(CallArgument.Long(o.Dilation, "dilation"));
        if (!o.Bias) arguments.Add(CallArgument.Bool(false, "hasBias"));
        arguments.AddRange(new[] { CallArgument.Symbolic("generator", "generator"), CallArgument.DType });
        var layer = new PlannedLayer(
            "conv1d",
            display,
            "global::ModelDsl.SequenceConv1d",
            CallPlan.New("global::ModelDsl.SequenceConv1d", arguments.ToArray()),
            init.Statements,
            $"{features} → {o.OutChannels} features per step over {steps} → {output[0]} steps, {o.Geometry}; {init.Summary}",
            output,
            checked(o.OutChannels * features * o.Kernel + (o.Bias ? o.OutChannels : 0)),
            init.Summary) { Kind = Name, Role = LayerRole.Weights, OutputOverwritable = true, Tensors = PlannedTensor.WeightAndBias(o.Bias, o.OutChannels, features, o.Kernel) };
        return ActivationRule.WithInline(layer, context.Enum("Activation"), Name, output);
    }
}

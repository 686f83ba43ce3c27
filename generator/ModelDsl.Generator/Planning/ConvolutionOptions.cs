using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning;

/// <summary>
/// The options the convolutions share (ConvolutionAttribute: Conv2d, Conv1d, ConvTranspose2d), read and validated once:
/// sizes (MD0003), the input rank each needs, Padding (MD0037), Padding = Same only at stride 1 (MD0036), and the
/// image convolutions' Groups (MD0110). Output sizes follow PyTorch: floor((n + 2p − d(k − 1) − 1)/s) + 1, or n with
/// same padding (a transposed convolution computes its own).
/// </summary>
internal sealed record ConvolutionOptions(long OutChannels, long Kernel, long Stride, long Dilation, bool Bias, long Padding, bool Same)
{
    public static readonly ImmutableDictionary<string, object> Defaults = ParametrizedOptions.With(("Stride", 1), ("Dilation", 1), ("Bias", true), ("Activation", "None"));

    /// <summary>The options, or null after reporting what is wrong; <paramref name="rank"/> is the input rank without the batch.</summary>
    public static ConvolutionOptions? Read(LayerContext context, string name, string display, int rank, DiagnosticDescriptor wrongRank)
    {
        long outChannels = (long)context.Number("OutChannels");
        long kernel = (long)context.Number("Kernel");
        long stride = (long)context.Number("Stride");
        long dilation = (long)context.Number("Dilation");
        if (!context.RequirePositive(name + " output channels", outChannels) || !context.RequirePositive(name + " kernel", kernel)
            || !context.RequirePositive(name + " Stride", stride) || !context.RequirePositive(name + " Dilation", dilation))
            return null;
        if (context.Input.Count != rank)
        {
            context.Report(wrongRank, display, Shapes.Format(context.Input));
            return null;
        }
        if (!ReadPadding(context, display, out long padding, out bool same)) return null;
        if (same && stride != 1)
        {
            context.Report(Descriptors.SamePaddingNeedsStrideOne, display, Whole(stride), Whole(dilation * (kernel - 1) / 2));
            return null;
        }
        return new ConvolutionOptions(outChannels, kernel, stride, dilation, context.Boolean("Bias"), padding, same);
    }

    /// <summary>
    /// The Groups option of Conv2d and ConvTranspose2d, or null after MD0110 at the argument: a whole number ≥ 1 dividing
    /// both channel counts, as torch.nn.Conv2d and torch.nn.ConvTranspose2d require.
    /// </summary>
    public static long? Groups(LayerContext context, string display, long channels, long outChannels)
    {
        double groups = context.Number("Groups");
        if (groups >= 1 && groups == System.Math.Floor(groups) && channels % (long)groups == 0 && outChannels % (long)groups == 0) return (long)groups;
        context.ReportAt("Groups", Descriptors.ConvolutionGroups, display, Invariant.Short(groups), Invariant.Count(channels), Invariant.Count(outChannels));
        return null;
    }

    /// <summary>The output size along one axis of <paramref name="size"/>.</summary>
    public long Output(long size) => Same ? size : SpatialSize.Output(size, Kernel, Stride, Padding, Dilation);

    /// <summary>"k 3, stride 1, padding same, dilation 2" for the generated comment.</summary>
    public string Geometry => $"k {Kernel}, stride {Stride}, padding {(Same ? "same" : Whole(Padding))}" + (Dilation == 1 ? "" : $", dilation {Dilation}");

    private static string Whole(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

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

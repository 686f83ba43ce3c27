using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Planning;

/// <summary>The options the Transformer encoder and decoder share, read and checked once for both rules.</summary>
internal sealed record TransformerOptions(long Heads, long FeedForward, long Layers, double Dropout, string Activation, bool NormFirst, long Steps, long Width)
{
    /// <summary>
    /// Reads heads, the feed-forward width, Layers, Dropout, Activation and NormFirst of a <paramref name="kind"/> layer and
    /// checks them against its input [T, D]: positive sizes (MD0003), a dropout in [0, 1), a sequence (MD0060), heads that
    /// divide D and a ReLU or GELU activation (MD0061). Null after a reported error.
    /// </summary>
    public static TransformerOptions? Read(LayerContext context, string kind, string display)
    {
        long heads = (long)context.Number("Heads"), feedForward = (long)context.Number("FeedForward"), layers = (long)context.Number("Layers");
        double dropout = context.Number("Dropout");
        string activation = context.Enum("Activation");
        if (!context.RequirePositive(kind + " heads", heads) || !context.RequirePositive(kind + " feed-forward width", feedForward)
            || !context.RequirePositive(kind + " Layers", layers))
            return null;
        if (!(dropout >= 0 && dropout < 1))
        {
            context.Report(Descriptors.NonPositiveSize, kind + " Dropout (at least 0 and below 1)", Invariant.Short(dropout));
            return null;
        }
        if (context.Input.Count != 2)
        {
            context.Report(Descriptors.NeedsSequence, display, Shapes.Format(context.Input));
            return null;
        }
        long width = context.Input[1];
        if (width % heads != 0)
        {
            context.Report(Descriptors.InvalidTransformer, display, $"{heads} heads must divide the width {width}; use a divisor of {width} or change the width before it");
            return null;
        }
        if (activation is not ("ReLU" or "GELU"))
        {
            context.Report(Descriptors.InvalidTransformer, display, $"the feed-forward activation is ReLU or GELU, not {activation}");
            return null;
        }
        return new TransformerOptions(heads, feedForward, layers, dropout, activation, context.Boolean("NormFirst"), context.Input[0], width);
    }
}

using System.Globalization;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Planning;

/// <summary>
/// The one place a dropout layer's probability is read (Dropout and Dropout2d): exactly one of a drop rate (positional)
/// or a keep probability (Keep =), each in its range, with the chapter's advice on keeping fewer than half.
/// </summary>
internal static class DropoutProbability
{
    /// <summary>(drop, keep), or null after reporting MD0004/MD0005.</summary>
    public static (double Drop, double Keep)? Read(LayerContext context)
    {
        bool hasRate = context.Layer.Has("Rate");
        bool hasKeep = context.Layer.Has("Keep");
        if (hasRate == hasKeep)
        {
            context.Report(Descriptors.DropoutRateAndKeep, hasRate ? "both were given" : "neither was given");
            return null;
        }

        double drop, keep;
        if (hasRate)
        {
            drop = context.Layer.Number("Rate", 0);
            if (!(drop >= 0 && drop < 1))
            {
                context.Report(Descriptors.DropoutOutOfRange, "rate", "[0, 1)", Invariant.Short(drop));
                return null;
            }
            keep = 1 - drop;
        }
        else
        {
            keep = context.Layer.Number("Keep", 1);
            if (!(keep > 0 && keep <= 1))
            {
                context.Report(Descriptors.DropoutOutOfRange, "keep probability", "(0, 1]", Invariant.Short(keep));
                return null;
            }
            // 1 − 0.8 is 0.19999999999999996 in binary; 15 significant digits give back the number the user meant.
            drop = double.Parse((1 - keep).ToString("G15", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }
        if (keep < 0.5) context.Report(Descriptors.LowKeepProbability, Invariant.Short(keep));
        return (drop, keep);
    }
}

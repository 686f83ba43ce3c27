using System;
using System.Collections.Generic;

namespace ModelDsl.Weights;

/// <summary>A weight file does not fit the model it is loaded into (strict loading); the model was not changed.</summary>
public sealed class WeightsMismatchException : Exception
{
    /// <summary>Lists every missing key, unexpected key, shape mismatch and dtype mismatch of <paramref name="report"/>.</summary>
    public WeightsMismatchException(WeightsLoadReport report)
        : base($"Weights {report.Path} do not fit this model (nothing was loaded):\n  " + string.Join("\n  ", report.Lines)
               + (report.DtypeMismatches.Count > 0 ? "\n  (set WeightsLoadOptions.ConvertFloatingDtypes to convert floating-point dtypes)" : ""))
        => Report = report;

    /// <summary>The full comparison of file and model.</summary>
    public WeightsLoadReport Report { get; }

    /// <summary><see cref="WeightsLoadReport.Lines"/>: one line per mismatch.</summary>
    public IReadOnlyList<string> Mismatches => Report.Lines;
}

using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Weights;

/// <summary>
/// How a weight file fits a model: every key the model has and the file lacks, every key the file has and the model
/// lacks, and every shared key whose shape or dtype differs. <see cref="WeightsMismatchException"/> carries one in strict
/// mode; a non-strict <see cref="ModuleWeights.LoadWeights"/> returns it (the listed tensors were not loaded).
/// </summary>
/// <param name="Path">The file.</param>
/// <param name="Missing">Model keys the file lacks (the model keeps its values).</param>
/// <param name="Unexpected">File keys the model lacks (ignored).</param>
/// <param name="ShapeMismatches">Shared keys whose shapes differ.</param>
/// <param name="DtypeMismatches">Shared keys of the same shape whose dtypes differ (and are not converted).</param>
/// <param name="Converted">Keys loaded after converting their floating-point dtype (only with <see cref="WeightsLoadOptions.ConvertFloatingDtypes"/>).</param>
public sealed record WeightsLoadReport(
    string Path,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<TensorMismatch> ShapeMismatches,
    IReadOnlyList<TensorMismatch> DtypeMismatches,
    IReadOnlyList<string> Converted)
{
    /// <summary>True when every model tensor was found in the file with its shape and (possibly converted) dtype, and nothing else was there.</summary>
    public bool IsExactFit => Missing.Count == 0 && Unexpected.Count == 0 && ShapeMismatches.Count == 0 && DtypeMismatches.Count == 0;

    /// <summary>One line per problem: <c>missing: key</c>, <c>unexpected: key</c>, <c>shape: key: file [..], model [..]</c>, <c>dtype: key: file X, model Y</c>.</summary>
    public IReadOnlyList<string> Lines =>
        Missing.Select(k => "missing: " + k)
            .Concat(Unexpected.Select(k => "unexpected: " + k))
            .Concat(ShapeMismatches.Select(m => "shape: " + m))
            .Concat(DtypeMismatches.Select(m => "dtype: " + m))
            .ToList();
}

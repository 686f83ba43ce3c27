using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace ModelDsl.Weights;

/// <summary>Compares a file's tensors with a model's state_dict by name, shape and dtype, touching no tensor data.</summary>
public static class WeightsComparison
{
    /// <summary>The report for loading <paramref name="file"/> (read from <paramref name="path"/>) into a model with <paramref name="model"/> as state_dict.</summary>
    public static WeightsLoadReport Compare(string path, IReadOnlyDictionary<string, Tensor> file, IReadOnlyDictionary<string, Tensor> model, bool convertFloatingDtypes)
    {
        var missing = model.Keys.Where(k => !file.ContainsKey(k)).ToList();
        var unexpected = file.Keys.Where(k => !model.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        var shapes = new List<TensorMismatch>();
        var dtypes = new List<TensorMismatch>();
        var converted = new List<string>();
        foreach (var (key, target) in model)
        {
            if (!file.TryGetValue(key, out Tensor? source)) continue;
            if (!source.shape.SequenceEqual(target.shape))
                shapes.Add(new TensorMismatch(key, Shape(source.shape), Shape(target.shape)));
            else if (source.dtype != target.dtype)
            {
                if (convertFloatingDtypes && is_floating_point(source) && is_floating_point(target)) converted.Add(key);
                else dtypes.Add(new TensorMismatch(key, source.dtype.ToString(), target.dtype.ToString()));
            }
        }
        return new WeightsLoadReport(path, missing, unexpected, shapes, dtypes, converted);
    }

    private static string Shape(long[] shape) => "[" + string.Join(", ", shape) + "]";
}

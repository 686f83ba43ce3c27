using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace ModelDsl.Weights;

/// <summary>
/// A model's <see cref="RenameWeightsAttribute"/>s as a prefix map between a file's keys and the model's: the longest
/// prefix that fits a key (the whole key, or up to a <c>.</c>) is replaced. Load maps file → model, save model → file.
/// </summary>
public sealed class WeightRenames
{
    private readonly (string File, string Model)[] pairs;

    private WeightRenames((string File, string Model)[] pairs) => this.pairs = pairs;

    /// <summary>No renames.</summary>
    public static WeightRenames None { get; } = new(Array.Empty<(string, string)>());

    /// <summary>The renames declared on <paramref name="type"/> (a generated model class).</summary>
    public static WeightRenames Of(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var pairs = type.GetCustomAttributes<RenameWeightsAttribute>(inherit: false).Select(a => (a.File, a.Model)).ToArray();
        return pairs.Length == 0 ? None : new WeightRenames(pairs);
    }

    /// <summary>True when there is no rename.</summary>
    public bool IsEmpty => pairs.Length == 0;

    /// <summary>The model's key for a file key (the key itself when no prefix fits).</summary>
    public string ToModel(string fileKey) => Rename(fileKey, p => p.File, p => p.Model);

    /// <summary>The file's key for a model key (the key itself when no prefix fits).</summary>
    public string ToFile(string modelKey) => Rename(modelKey, p => p.Model, p => p.File);

    /// <summary>The dictionary under renamed keys; two keys that would meet under one name throw.</summary>
    public Dictionary<string, T> Apply<T>(IReadOnlyDictionary<string, T> tensors, bool toModel)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var result = new Dictionary<string, T>(StringComparer.Ordinal);
        var from = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, T> pair in tensors)
        {
            string key = toModel ? ToModel(pair.Key) : ToFile(pair.Key);
            if (from.TryGetValue(key, out string? other))
                throw new ArgumentException($"The weight renames give '{other}' and '{pair.Key}' the same name '{key}'; rename one prefix only once.");
            from[key] = pair.Key;
            result[key] = pair.Value;
        }
        return result;
    }

    private string Rename(string key, Func<(string File, string Model), string> from, Func<(string File, string Model), string> to)
    {
        ArgumentNullException.ThrowIfNull(key);
        (string File, string Model)? best = null;
        foreach (var pair in pairs)
        {
            string prefix = from(pair);
            bool fits = key == prefix || key.Length > prefix.Length && key.StartsWith(prefix, StringComparison.Ordinal) && key[prefix.Length] == '.';
            if (fits && (best is null || prefix.Length > from(best.Value).Length)) best = pair;
        }
        return best is { } b ? to(b) + key.Substring(from(b).Length) : key;
    }
}

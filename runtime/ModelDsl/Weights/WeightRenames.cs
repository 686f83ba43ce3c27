using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace ModelDsl.Weights;

/// <summary>
/// A model's <see cref="RenameWeightsAttribute"/>s as a prefix map between a file's keys and the model's: the prefix
/// that covers the most of a key (the whole key, or up to a <c>.</c>; <c>{n}</c> stands for a number) is replaced. Load
/// maps file → model, save model → file.
/// </summary>
public sealed class WeightRenames
{
    private readonly (KeyPrefix File, KeyPrefix Model)[] pairs;

    private WeightRenames((KeyPrefix File, KeyPrefix Model)[] pairs) => this.pairs = pairs;

    /// <summary>No renames.</summary>
    public static WeightRenames None { get; } = new(Array.Empty<(KeyPrefix, KeyPrefix)>());

    /// <summary>The renames declared on <paramref name="type"/> (a generated model class).</summary>
    /// <exception cref="ArgumentException">A pair whose sides have different numbers of <c>{n}</c> (the generator reports it as MD0107).</exception>
    public static WeightRenames Of(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var pairs = type.GetCustomAttributes<RenameWeightsAttribute>(inherit: false).Select(a => (File: new KeyPrefix(a.File), Model: new KeyPrefix(a.Model))).ToArray();
        foreach (var (file, model) in pairs)
            if (file.Placeholders != model.Placeholders)
                throw new ArgumentException($"[RenameWeights(\"{file.Text}\", \"{model.Text}\")] on {type.Name}: the file prefix has {file.Placeholders} {{n}} and the model prefix {model.Placeholders}; each number read on one side fills a placeholder on the other.");
        return pairs.Length == 0 ? None : new WeightRenames(pairs);
    }

    /// <summary>True when there is no rename.</summary>
    public bool IsEmpty => pairs.Length == 0;

    /// <summary>The model's key for a file key (the key itself when no prefix fits).</summary>
    public string ToModel(string fileKey) => Rename(fileKey, toModel: true);

    /// <summary>The file's key for a model key (the key itself when no prefix fits).</summary>
    public string ToFile(string modelKey) => Rename(modelKey, toModel: false);

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

    private string Rename(string key, bool toModel)
    {
        ArgumentNullException.ThrowIfNull(key);
        return KeyPrefix.Rename(key, toModel ? pairs.Select(p => (p.File, p.Model)) : pairs.Select(p => (p.Model, p.File)));
    }
}

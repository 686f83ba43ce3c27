using System;

namespace ModelDsl;

/// <summary>
/// Maps a weights file's names to the model's where they cannot be the same: every file key that starts with
/// <see cref="File"/> (the whole key, or up to a <c>.</c>) gets <see cref="Model"/> instead of that prefix.
/// <c>[RenameWeights("features.0", "stem.conv")]</c> reads <c>features.0.weight</c> into <c>stem.conv.weight</c>.
/// <c>LoadWeights</c> applies it, <c>SaveWeights</c> writes the file's names back, and the compile-time check of
/// <see cref="ModelAttribute.WeightsFile"/> compares through it; a <see cref="Model"/> prefix that no key of the model
/// starts with is MD0106. Where several prefixes fit a key, the one that covers the most of it wins.
/// <c>{n}</c> stands for a number (one or more digits) and maps a numbered family at once:
/// <c>[RenameWeights("features.{n}", "fire{n}")]</c> reads <c>features.3.squeeze.weight</c> into
/// <c>fire3.squeeze.weight</c>; both sides need the same number of <c>{n}</c> (MD0107), filled in order.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class RenameWeightsAttribute : Attribute
{
    /// <summary>Maps the file's <paramref name="file"/> prefix to the model's <paramref name="model"/> prefix.</summary>
    public RenameWeightsAttribute(string file, string model)
    {
        File = file;
        Model = model;
    }

    /// <summary>The prefix of the file's keys (PyTorch's names: <c>features.0</c>).</summary>
    public string File { get; }

    /// <summary>The prefix of the model's state_dict keys it stands for (<c>stem.conv</c>).</summary>
    public string Model { get; }
}

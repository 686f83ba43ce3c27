using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace ModelDsl.Weights;

/// <summary>
/// One side of a <c>[RenameWeights(file, model)]</c> pair: a state_dict key prefix in which <c>{n}</c> stands for a
/// number (one or more digits), so one pair maps a numbered family (<c>features.{n}</c> ↔ <c>fire{n}</c>) as timm's and
/// Hugging Face's checkpoint converters map keys with patterns. A prefix fits a key that is the prefix or continues it
/// with a <c>.</c>; the numbers it read fill the other side's placeholders in order.
/// This file is compiled into both the runtime (<c>WeightRenames</c>) and the generator (the compile-time weights check),
/// so the two apply the same rule.
/// </summary>
internal sealed class KeyPrefix
{
    /// <summary>The placeholder for a number.</summary>
    public const string Number = "{n}";

    private readonly Regex pattern;
    private readonly string[] parts;

    public KeyPrefix(string text)
    {
        Text = text;
        parts = text.Split(new[] { Number }, System.StringSplitOptions.None);
        var regex = new System.Text.StringBuilder("^");
        for (int i = 0; i < parts.Length; i++)
        {
            if (i > 0) regex.Append(@"(\d+)");
            regex.Append(Regex.Escape(parts[i]));
        }
        regex.Append(@"(?=\.|$)");
        pattern = new Regex(regex.ToString(), RegexOptions.CultureInvariant);
    }

    /// <summary>The prefix as written.</summary>
    public string Text { get; }

    /// <summary>How many <c>{n}</c> it has.</summary>
    public int Placeholders => parts.Length - 1;

    /// <summary>Whether the prefix fits <paramref name="key"/>; if so, the length of the key it covers and the numbers it read.</summary>
    public bool Fits(string key, out int length, out string[] numbers)
    {
        Match match = pattern.Match(key);
        length = match.Success ? match.Length : -1;
        numbers = new string[match.Success ? match.Groups.Count - 1 : 0];
        for (int i = 0; i < numbers.Length; i++) numbers[i] = match.Groups[i + 1].Value;
        return match.Success;
    }

    /// <summary>The prefix with its placeholders filled by <paramref name="numbers"/>, in order.</summary>
    public string Fill(string[] numbers)
    {
        var text = new System.Text.StringBuilder(parts[0]);
        for (int i = 1; i < parts.Length; i++) text.Append(numbers[i - 1]).Append(parts[i]);
        return text.ToString();
    }

    /// <summary>
    /// <paramref name="key"/> renamed by the pair whose <c>from</c> side covers the most of it, and of two that cover as
    /// much the one with fewer placeholders (<c>features.0</c> before <c>features.{n}</c>); the key itself when none fits.
    /// That side's text is replaced by the other side filled with the numbers it read.
    /// </summary>
    public static string Rename(string key, IEnumerable<(KeyPrefix From, KeyPrefix To)> pairs)
    {
        (KeyPrefix From, KeyPrefix To, int Length, string[] Numbers)? best = null;
        foreach ((KeyPrefix from, KeyPrefix to) in pairs)
        {
            if (!from.Fits(key, out int length, out string[] numbers)) continue;
            if (best is null || length > best.Value.Length || length == best.Value.Length && from.Placeholders < best.Value.From.Placeholders)
                best = (from, to, length, numbers);
        }
        return best is { } b ? b.To.Fill(b.Numbers) + key.Substring(b.Length) : key;
    }
}

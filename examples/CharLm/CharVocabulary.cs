using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace CharLm;

/// <summary>
/// The characters of the training text, sorted, with id 0 for any other character (the validation split's '>' is
/// one). Austen's training split has 81 distinct characters, so <see cref="Size"/> is 82; the model declares it.
/// </summary>
public sealed class CharVocabulary
{
    /// <summary>The number of ids: the 81 characters of the training split and the unknown id.</summary>
    public const int Size = 82;

    /// <summary>The id of a character the training text does not have.</summary>
    public const int Unknown = 0;

    private const char UnknownShown = '\uFFFD';
    private readonly char[] characters;
    private readonly Dictionary<char, long> ids;

    /// <summary>The vocabulary of <paramref name="trainingText"/>.</summary>
    /// <exception cref="ArgumentException">It has another number of distinct characters than the model declares.</exception>
    public CharVocabulary(string trainingText)
    {
        characters = trainingText.Distinct().Order().Prepend(UnknownShown).ToArray();
        if (characters.Length != Size)
            throw new ArgumentException($"The training text has {characters.Length - 1} distinct characters; CharGpt declares {Size - 1} (plus the unknown id).");
        ids = characters.Select((c, i) => (c, (long)i)).Skip(1).ToDictionary(p => p.c, p => p.Item2);
    }

    /// <summary>Ids [text.Length] (Int64), unknown characters as <see cref="Unknown"/>.</summary>
    public Tensor Encode(string text) => tensor(text.Select(c => ids.GetValueOrDefault(c, Unknown)).ToArray());

    /// <summary>The text of <paramref name="ids"/> (the unknown id shows as U+FFFD).</summary>
    public string Decode(IEnumerable<long> ids) => new(ids.Select(i => characters[i]).ToArray());
}

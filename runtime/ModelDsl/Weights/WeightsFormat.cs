using System;
using System.IO;

namespace ModelDsl.Weights;

/// <summary>The weight-file formats ModelDsl reads and writes, chosen from the file's extension.</summary>
public enum WeightsFormat
{
    /// <summary>
    /// A PyTorch <c>state_dict</c> written by <c>torch.save(model.state_dict(), path)</c> (the zip format of PyTorch 1.6
    /// and later: <c>data.pkl</c> plus one entry per tensor storage); extensions <c>.pt</c>, <c>.pth</c>, <c>.bin</c>.
    /// PyTorch's legacy (pre-zip) format is not read.
    /// </summary>
    PyTorch,

    /// <summary>
    /// safetensors (Hugging Face): an 8-byte little-endian header length, a JSON header
    /// <c>{name: {dtype, shape, data_offsets}}</c>, then the raw little-endian tensor bytes; extension <c>.safetensors</c>.
    /// </summary>
    Safetensors,
}

/// <summary>Maps a path to its <see cref="WeightsFormat"/>.</summary>
public static class WeightsFormats
{
    /// <summary>The format of <paramref name="path"/> by extension (case-insensitive).</summary>
    /// <exception cref="ArgumentException">The extension is none of .pt, .pth, .bin, .safetensors.</exception>
    public static WeightsFormat Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".pt" or ".pth" or ".bin" => WeightsFormat.PyTorch,
            ".safetensors" => WeightsFormat.Safetensors,
            _ => throw new ArgumentException($"{path}: unknown weight-file extension; use .pt, .pth or .bin (PyTorch state_dict) or .safetensors.", nameof(path)),
        };
    }
}

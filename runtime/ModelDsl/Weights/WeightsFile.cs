using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace ModelDsl.Weights;

/// <summary>
/// Reads and writes a state_dict (name → tensor) as a PyTorch or safetensors file (<see cref="WeightsFormat"/>), through
/// TorchSharp.PyBridge's <c>PyTorchUnpickler</c>/<c>PyTorchPickler</c> and <c>Safetensors</c>. PyBridge's own
/// <c>load_py</c>/<c>load_safetensors</c> module extensions are not used for loading: they check names only and copy
/// tensor by tensor, so a shape or dtype mismatch fails midway with the model half loaded; <see cref="ModuleWeights"/>
/// compares everything first and loads all or nothing.
/// </summary>
public static class WeightsFile
{
    /// <summary>
    /// The tensors of <paramref name="path"/> on the CPU with the file's dtypes. The caller owns (disposes) them.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a state_dict (e.g. a whole pickled model or a checkpoint dictionary holding one).</exception>
    public static Dictionary<string, Tensor> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        WeightsFormat format = WeightsFormats.Of(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Weight file {path} not found.", path);
        if (format == WeightsFormat.Safetensors) return Safetensors.LoadStateDict(path);
        using var stream = File.OpenRead(path);
        Hashtable table = PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: true);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is string name && entry.Value is Tensor tensor) { result[name] = tensor; continue; }
            foreach (var loaded in result.Values) loaded.Dispose();
            throw new InvalidDataException($"{path}: '{entry.Key}' is a {entry.Value?.GetType().Name ?? "null"}, not a tensor; save model.state_dict() itself (a dictionary of tensors), not a checkpoint or module holding it.");
        }
        return result;
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="path"/> in the format of its extension, through a temporary
    /// file renamed over the target (a crash leaves the old file or the new one, never half of one). Tensors on another
    /// device are copied to the CPU; the order of the dictionary is the file's order.
    /// </summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensors);
        WeightsFormat format = WeightsFormats.Of(path);
        string temporary = path + ".tmp";
        using (var scope = NewDisposeScope())
        {
            // Contiguous CPU tensors: both writers copy the raw storage bytes.
            var cpu = tensors.ToDictionary(p => p.Key, p => p.Value.detach().cpu().contiguous(), StringComparer.Ordinal);
            using var stream = File.Create(temporary);
            if (format == WeightsFormat.Safetensors) Safetensors.SaveStateDict(stream, cpu, leaveOpen: true);
            else PyTorchPickler.PickleStateDict(stream, cpu, leaveOpen: true);
        }
        File.Move(temporary, path, overwrite: true);
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace ModelDsl.Weights;

/// <summary>
/// Weights in and out of PyTorch for any module (generated models included): <see cref="LoadWeights"/> reads a
/// <c>torch.save(model.state_dict())</c> file (.pt, .pth, .bin) or a .safetensors file, <see cref="SaveWeights"/> writes
/// one that PyTorch's <c>load_state_dict(strict=True)</c> accepts. Tensors are matched by their state_dict names
/// (<c>dense1.weight</c>), which for a generated model follow its blocks (the model's <c>state_dict().Keys</c>), through
/// the model's <see cref="RenameWeightsAttribute"/>s where it declares any: applied on load, inverted on save.
/// </summary>
public static class ModuleWeights
{
    /// <summary>
    /// Loads the tensors of <paramref name="path"/> into <paramref name="module"/>'s parameters and buffers, all or
    /// nothing: names, shapes and dtypes are compared before any tensor changes, and if copying fails midway the tensors
    /// already written are restored. Strict by default (<see cref="WeightsLoadOptions"/>): any missing or unexpected key,
    /// shape or dtype mismatch throws. A float16/bfloat16 file loads into a float32 model only with
    /// <see cref="WeightsLoadOptions.ConvertFloatingDtypes"/>. Tensors are copied to the module's device.
    /// </summary>
    /// <returns>The comparison; when not strict, the tensors it lists were not loaded.</returns>
    /// <exception cref="WeightsMismatchException">Strict, and the file does not fit (the module is unchanged).</exception>
    /// <exception cref="ArgumentException">The extension is not a weight-file extension (<see cref="WeightsFormats.Of"/>).</exception>
    /// <exception cref="System.IO.FileNotFoundException">No such file.</exception>
    /// <exception cref="System.IO.InvalidDataException">The file holds something other than a state_dict.</exception>
    public static WeightsLoadReport LoadWeights(this nn.Module module, string path, WeightsLoadOptions? options = null)
        => Load(module, path, options ?? new WeightsLoadOptions(), beforeCopy: null);

    /// <summary>
    /// Constructs a model that is about to receive its weights and loads them strictly from <paramref name="path"/>:
    /// <paramref name="create"/> runs inside a <see cref="SkipInitialization"/> scope, so the model's declared init is
    /// skipped (TorchSharp's own layer constructors still fill their tensors, and TorchSharp's global generator is left as
    /// it was), then every tensor is loaded as <see cref="LoadWeights"/> with <see cref="WeightsLoadOptions.Strict"/> does.
    /// If the load fails, the model is disposed before the exception leaves, so no half-initialized model escapes.
    /// <code>using var model = ModuleWeights.FromFile("resnet.safetensors", () => new ResNet50(device: CUDA));</code>
    /// </summary>
    /// <param name="path">A .pt, .pth, .bin or .safetensors state_dict that fits the model exactly.</param>
    /// <param name="create">Builds the model (any constructor arguments: device, dtype); called once.</param>
    /// <param name="convertFloatingDtypes">As <see cref="WeightsLoadOptions.ConvertFloatingDtypes"/>: load a float16/bfloat16 file into a float32 model.</param>
    /// <returns>The loaded model; the caller owns (disposes) it.</returns>
    /// <exception cref="WeightsMismatchException">The file does not fit the model; its report lists every mismatch.</exception>
    /// <exception cref="ArgumentException">The extension is not a weight-file extension (<see cref="WeightsFormats.Of"/>).</exception>
    /// <exception cref="System.IO.FileNotFoundException">No such file.</exception>
    /// <exception cref="System.IO.InvalidDataException">The file holds something other than a state_dict.</exception>
    public static TModel FromFile<TModel>(string path, Func<TModel> create, bool convertFloatingDtypes = false)
        where TModel : nn.Module
        => FromFile(path, create, convertFloatingDtypes, beforeCopy: null);

    /// <summary><see cref="FromFile{TModel}(string, Func{TModel}, bool)"/> with the test hook of <see cref="Load"/>.</summary>
    internal static TModel FromFile<TModel>(string path, Func<TModel> create, bool convertFloatingDtypes, Action<string>? beforeCopy)
        where TModel : nn.Module
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(create);
        TModel model;
        using (SkipInitialization.Begin()) model = create() ?? throw new InvalidOperationException("create returned null.");
        try
        {
            Load(model, path, new WeightsLoadOptions { ConvertFloatingDtypes = convertFloatingDtypes }, beforeCopy);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Writes <paramref name="module"/>'s state_dict (parameters and buffers, with their dtypes) to <paramref name="path"/>
    /// in the format of its extension: PyTorch's zip format for .pt/.pth/.bin (<c>torch.load</c> reads it), safetensors
    /// for .safetensors. Loading it back gives the same tensors bit for bit. A tied output projection's weight is written
    /// under its own key too, as PyTorch lists a tied weight under both modules.
    /// </summary>
    public static void SaveWeights(this nn.Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        WeightsFile.Write(path, WeightRenames.Of(module.GetType()).Apply(TiedAliases.Add(module, module.state_dict()), toModel: false));
    }

    /// <summary><see cref="LoadWeights"/> with a hook called before each tensor is written (tests fail a load midway with it).</summary>
    internal static WeightsLoadReport Load(nn.Module module, string path, WeightsLoadOptions options, Action<string>? beforeCopy)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(options);
        Dictionary<string, Tensor> file = WeightsFile.Read(path);
        try
        {
            // The model's [RenameWeights] map the file's names to its own (the report names the model's keys).
            WeightRenames renames = WeightRenames.Of(module.GetType());
            if (!renames.IsEmpty) file = renames.Apply(file, toModel: true);
            file = TiedAliases.Remove(module, file); // PyTorch writes a tied weight twice; the model holds it once
            Dictionary<string, Tensor> state = module.state_dict();
            WeightsLoadReport report = WeightsComparison.Compare(path, file, state, options.ConvertFloatingDtypes);
            if (options.Strict && !report.IsExactFit) throw new WeightsMismatchException(report);
            var skipped = report.ShapeMismatches.Concat(report.DtypeMismatches).Select(m => m.Key).ToHashSet(StringComparer.Ordinal);
            var pairs = state.Where(p => file.ContainsKey(p.Key) && !skipped.Contains(p.Key))
                .Select(p => (p.Key, Target: p.Value, Source: file[p.Key])).ToList();
            CopyAllOrNothing(pairs, beforeCopy);
            return report;
        }
        finally
        {
            foreach (Tensor tensor in file.Values) tensor.Dispose();
        }
    }

    /// <summary>Copies each source into its target (converting dtype and device); on any exception restores every target already written, then rethrows.</summary>
    private static void CopyAllOrNothing(IReadOnlyList<(string Key, Tensor Target, Tensor Source)> pairs, Action<string>? beforeCopy)
    {
        using var noGrad = no_grad();
        var backups = new List<(Tensor Target, Tensor Backup)>(pairs.Count);
        try
        {
            foreach (var (key, target, source) in pairs)
            {
                beforeCopy?.Invoke(key);
                backups.Add((target, target.clone()));
                target.copy_(source);
            }
        }
        catch
        {
            foreach (var (target, backup) in backups) target.copy_(backup);
            throw;
        }
        finally
        {
            foreach (var (_, backup) in backups) backup.Dispose();
        }
    }
}

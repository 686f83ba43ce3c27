using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Weights;

/// <summary>
/// The state_dict keys a tied output projection (<see cref="TiedLinear"/>) has in PyTorch: PyTorch lists a tied weight
/// under both modules (GPT-2's <c>lm_head.weight</c> beside <c>transformer.wte.weight</c>), while TiedLinear owns no
/// weight. Weight files written here carry the alias too, so PyTorch's <c>load_state_dict(strict=True)</c> reads them;
/// files read here may carry it, and it is accepted when it equals the table it aliases.
/// </summary>
internal static class TiedAliases
{
    /// <summary>(alias, source) pairs: <c>head.dense.weight</c> → <c>embedding.weight</c> for each tied layer of <paramref name="module"/>.</summary>
    public static IReadOnlyList<(string Alias, string Source)> Of(nn.Module module)
    {
        var modules = module.named_modules().ToList();
        var aliases = new List<(string, string)>();
        foreach (var (name, child) in modules)
        {
            if (child is not TiedLinear { TiedTo: { } embedding }) continue;
            string? source = modules.FirstOrDefault(m => ReferenceEquals(m.module, embedding)).name;
            if (source is not null) aliases.Add((Key(name, "weight"), Key(source, "weight")));
        }
        return aliases;
    }

    /// <summary><paramref name="state"/> with each alias added (the same tensor as its source), as PyTorch writes a tied model.</summary>
    public static Dictionary<string, Tensor> Add(nn.Module module, Dictionary<string, Tensor> state)
    {
        foreach (var (alias, source) in Of(module))
            if (state.TryGetValue(source, out Tensor? table)) state[alias] = table;
        return state;
    }

    /// <summary>
    /// <paramref name="file"/> without the aliases that equal their source in it (disposed); an alias that differs stays,
    /// so the comparison reports it as an unexpected key (the file's model was not tied).
    /// </summary>
    public static Dictionary<string, Tensor> Remove(nn.Module module, Dictionary<string, Tensor> file)
    {
        foreach (var (alias, source) in Of(module))
        {
            if (!file.TryGetValue(alias, out Tensor? copy) || !file.TryGetValue(source, out Tensor? table)) continue;
            if (!copy.shape.SequenceEqual(table.shape) || copy.dtype != table.dtype || !(copy == table).all().item<bool>()) continue;
            file.Remove(alias);
            copy.Dispose();
        }
        return file;
    }

    private static string Key(string module, string tensor) => module.Length == 0 ? tensor : module + "." + tensor;
}

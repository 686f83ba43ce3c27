using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace ModelDsl;

/// <summary>
/// What generated <c>Penalty()</c> and <c>ParameterGroups()</c> call: the weight-decay groups a model declares, applied
/// to its live parameters. Names are resolved on every call (a dictionary walk, no tensor work) because Module.to()
/// replaces parameter objects.
/// </summary>
public static class Penalties
{
    /// <summary>The name of the optimizer group holding every parameter no declared group decays.</summary>
    public const string NoDecayGroup = "no_decay";

    /// <summary>
    /// Σ_groups [(λ2/2)·Σ‖w‖² + λ1·Σ‖w‖₁] over the groups' parameters: a differentiable scalar on the parameters'
    /// device and dtype (0 when nothing is decayed). Its gradient is λ2·w + λ1·sign(w) on decayed parameters.
    /// </summary>
    public static Tensor Penalty(Module module, IReadOnlyList<WeightDecayGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(groups);
        Dictionary<string, Parameter> byName = Resolve(module, groups);
        Tensor? total = null;
        foreach (WeightDecayGroup group in groups)
        {
            foreach (string name in group.Parameters)
            {
                Parameter w = byName[name];
                if (group.L2 != 0) total = Accumulate(total, w.square().sum(), group.L2 / 2);
                if (group.L1 != 0) total = Accumulate(total, w.abs().sum(), group.L1);
            }
        }
        if (total is not null) return total;
        Parameter? any = module.parameters().FirstOrDefault();
        return any is null ? zeros(Array.Empty<long>()) : zeros(Array.Empty<long>(), dtype: any.dtype, device: any.device);
    }

    /// <summary>One group per declared group (weight decay = λ2), then <see cref="NoDecayGroup"/> with the rest; empty groups left out.</summary>
    public static IReadOnlyList<ParameterGroup> ParameterGroups(Module module, IReadOnlyList<WeightDecayGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(groups);
        Dictionary<string, Parameter> byName = Resolve(module, groups);
        var result = new List<ParameterGroup>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (WeightDecayGroup group in groups)
        {
            var parameters = group.Parameters.Where(taken.Add).Select(n => byName[n]).ToList();
            if (parameters.Count > 0) result.Add(new ParameterGroup(group.Name, parameters, group.L2, group.L1));
        }
        var rest = module.named_parameters().Where(p => !taken.Contains(p.name)).Select(p => p.parameter).ToList();
        if (rest.Count > 0) result.Add(new ParameterGroup(NoDecayGroup, rest, 0, 0));
        return result;
    }

    private static Tensor Accumulate(Tensor? total, Tensor term, double factor)
    {
        using (term)
        {
            Tensor scaled = term * factor;
            if (total is null) return scaled;
            using (total) using (scaled) return total + scaled;
        }
    }

    private static Dictionary<string, Parameter> Resolve(Module module, IReadOnlyList<WeightDecayGroup> groups)
    {
        var byName = new Dictionary<string, Parameter>(StringComparer.Ordinal);
        foreach (var (name, parameter) in module.named_parameters()) byName[name] = parameter;
        foreach (WeightDecayGroup group in groups)
        {
            foreach (string name in group.Parameters)
            {
                if (!byName.ContainsKey(name))
                    throw new InvalidOperationException($"{module.GetName()}: weight-decay group '{group.Name}' names parameter '{name}', but the model has no such parameter (it has: {string.Join(", ", byName.Keys)}).");
            }
        }
        return byName;
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Builds a TorchSharp optimizer in one call with one parameter group per weight-decay group, each with weight_decay = λ2
/// (<see cref="IWeightDecayModel.ParameterGroups"/>). SGD and Adam apply it coupled (wd·w is added to the gradient, so
/// it is the L2 penalty's gradient); AdamW decoupled (w ← w·(1 − lr·wd) outside the adaptive step, Loshchilov &amp; Hutter
/// 2019). A model without groups gets one group without decay. Frozen parameters (requires_grad false) are in no group;
/// <see cref="Training.UnfreezeAt"/> adds them when it unfreezes. λ1 has no optimizer form: use <c>Penalty()</c> for it.
/// Don't combine these with <c>Penalty()</c>'s L2 term, or the decay counts twice.
/// <para>
/// Discriminative fine-tuning (Howard &amp; Ruder 2018, ULMFiT): <c>blockRates</c> maps blocks (modules inside the model)
/// to their own learning rate; each weight-decay group is split by block, parameters outside every listed block keep
/// <c>lr</c>. A parameter inside two listed blocks takes the first listed.
/// </para>
/// </summary>
public static class RegularizedOptimizer
{
    /// <summary>SGD with per-group coupled weight decay, and per-block learning rates when given.</summary>
    public static SGD SGD(nn.Module module, double lr, double momentum = 0, IReadOnlyDictionary<nn.Module, double>? blockRates = null)
        => optim.SGD(Split(module, blockRates).Select(g => new SGD.ParamGroup(g.Group.Parameters, new SGD.Options { weight_decay = g.Group.WeightDecay, LearningRate = g.LearningRate ?? lr })), lr, momentum);

    /// <summary>Adam with per-group coupled weight decay (L2 added to the gradient before the adaptive scaling), and per-block learning rates when given.</summary>
    public static Adam Adam(nn.Module module, double lr = 1e-3, IReadOnlyDictionary<nn.Module, double>? blockRates = null)
        => optim.Adam(Split(module, blockRates).Select(g => new Adam.ParamGroup(g.Group.Parameters, new Adam.Options { weight_decay = g.Group.WeightDecay, LearningRate = g.LearningRate ?? lr })), lr);

    /// <summary>AdamW with per-group decoupled weight decay, and per-block learning rates when given.</summary>
    public static AdamW AdamW(nn.Module module, double lr = 1e-3, IReadOnlyDictionary<nn.Module, double>? blockRates = null)
        => optim.AdamW(Split(module, blockRates).Select(g => new AdamW.ParamGroup(g.Group.Parameters, new AdamW.Options { weight_decay = g.Group.WeightDecay, LearningRate = g.LearningRate ?? lr })), lr);

    /// <summary>The module's parameter groups, or all of its trainable parameters in one group without decay; frozen parameters in none.</summary>
    public static IReadOnlyList<ParameterGroup> Groups(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return module is IWeightDecayModel model
            ? model.ParameterGroups()
            : new[] { new ParameterGroup(Penalties.NoDecayGroup, module.parameters().Where(p => p.requires_grad).ToList(), 0, 0) };
    }

    /// <summary>
    /// Adds <paramref name="group"/> to <paramref name="optimizer"/> as a new parameter group with its weight decay and
    /// <paramref name="lr"/> (the optimizer's default learning rate when null); the other options are the optimizer's
    /// defaults. SGD, Adam and AdamW take any weight decay; other optimizers only a group without decay.
    /// </summary>
    /// <exception cref="NotSupportedException">A decayed group for an optimizer other than SGD, Adam, AdamW.</exception>
    public static void AddGroup(optim.Optimizer optimizer, ParameterGroup group, double? lr = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(group);
        ParamGroup added = optimizer switch
        {
            TorchSharp.Modules.SGD => new SGD.ParamGroup(group.Parameters, new SGD.Options { weight_decay = group.WeightDecay, LearningRate = lr }),
            TorchSharp.Modules.Adam => new Adam.ParamGroup(group.Parameters, new Adam.Options { weight_decay = group.WeightDecay, LearningRate = lr }),
            TorchSharp.Modules.AdamW => new AdamW.ParamGroup(group.Parameters, new AdamW.Options { weight_decay = group.WeightDecay, LearningRate = lr }),
            _ when group.WeightDecay == 0 => new ParamGroup { Parameters = group.Parameters },
            _ => throw new NotSupportedException($"{optimizer.GetType().Name}: a parameter group with weight decay {group.WeightDecay} can be added to SGD, Adam or AdamW only."),
        };
        optimizer.add_param_group(added);
        if (lr is double rate && added.Options.LearningRate != rate) added.LearningRate = rate;
    }

    /// <summary>Each group split by the first listed block holding each parameter (learning rate null: the optimizer's).</summary>
    private static IEnumerable<(ParameterGroup Group, double? LearningRate)> Split(nn.Module module, IReadOnlyDictionary<nn.Module, double>? blockRates)
    {
        IReadOnlyList<ParameterGroup> groups = Groups(module);
        if (blockRates is null || blockRates.Count == 0) return groups.Select(g => (g, (double?)null));
        var rateOf = new Dictionary<IntPtr, double>();
        foreach (var (block, rate) in blockRates)
            foreach (Parameter parameter in block.parameters()) rateOf.TryAdd(parameter.Handle, rate);
        return groups.SelectMany(g => g.Parameters
            .GroupBy(p => rateOf.TryGetValue(p.Handle, out double rate) ? rate : (double?)null)
            .Select(part => (g with { Parameters = part.ToList() }, part.Key)));
    }
}

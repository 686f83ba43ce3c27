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
/// 2019). A model without groups gets one group without decay. λ1 has no optimizer form: use <c>Penalty()</c> for it.
/// Don't combine these with <c>Penalty()</c>'s L2 term, or the decay counts twice.
/// </summary>
public static class RegularizedOptimizer
{
    /// <summary>SGD with per-group coupled weight decay.</summary>
    public static SGD SGD(nn.Module module, double lr, double momentum = 0)
        => optim.SGD(Groups(module).Select(g => new SGD.ParamGroup(g.Parameters, new SGD.Options { weight_decay = g.WeightDecay })), lr, momentum);

    /// <summary>Adam with per-group coupled weight decay (L2 added to the gradient before the adaptive scaling).</summary>
    public static Adam Adam(nn.Module module, double lr = 1e-3)
        => optim.Adam(Groups(module).Select(g => new Adam.ParamGroup(g.Parameters, new Adam.Options { weight_decay = g.WeightDecay })), lr);

    /// <summary>AdamW with per-group decoupled weight decay.</summary>
    public static AdamW AdamW(nn.Module module, double lr = 1e-3)
        => optim.AdamW(Groups(module).Select(g => new AdamW.ParamGroup(g.Parameters, new AdamW.Options { weight_decay = g.WeightDecay })), lr);

    /// <summary>The module's parameter groups, or all of its parameters in one group without decay.</summary>
    public static IReadOnlyList<ParameterGroup> Groups(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return module is IWeightDecayModel model
            ? model.ParameterGroups()
            : new[] { new ParameterGroup(Penalties.NoDecayGroup, module.parameters().ToList(), 0, 0) };
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace ModelDsl;

/// <summary>
/// What generated <c>Penalty()</c> and <c>ParameterGroups()</c> call: the weight-decay groups a model declares, applied
/// to its live parameters. Names are resolved on every call (a dictionary walk, no tensor work) because Module.to()
/// replaces parameter objects. Frozen parameters (requires_grad false, <see cref="Freezing.Freeze{T}"/>) are left out of
/// all three: fine-tuning decays and optimizes only what trains.
/// </summary>
public static class Penalties
{
    /// <summary>The name of the optimizer group holding every parameter no declared group decays.</summary>
    public const string NoDecayGroup = "no_decay";

    /// <summary>
    /// Σ_groups [(λ2/2)·Σ‖w‖² + λ1·Σ‖w‖₁] over the groups' parameters: a differentiable scalar on the parameters'
    /// device and dtype (0 when nothing is decayed). Its gradient is λ2·w + λ1·sign(w) on decayed parameters.
    /// </summary>
    /// <remarks>
    /// Built for a cheap backward pass, since it runs every training step (docs/benchmarks.md, "Penalty() per step"): each
    /// term is one dot product of the weight with a detached partner, whose backward is a single multiply
    /// (partner × upstream gradient), where w.square().sum() or w.abs().sum() cost three to four passes and as many
    /// weight-sized temporaries. L1: ⟨w, sign(w)⟩ = ‖w‖₁ exactly, gradient sign(w). L2: A = Σ λ2·⟨w, w_detached⟩ has the
    /// gradient λ2·w but the value λ2·‖w‖², so the L2 part is returned as A − A_detached/2 (value (λ2/2)·‖w‖², gradient
    /// unchanged). Value and first derivative are the formula's; second derivatives through the L2 part are not tracked
    /// (the detached partner), which only matters to create_graph double-backward, which nothing here uses.
    /// </remarks>
    public static Tensor Penalty(Module module, IReadOnlyList<WeightDecayGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(groups);
        Dictionary<string, Parameter> byName = Resolve(module, groups);
        using var scope = NewDisposeScope();
        Tensor? l2 = null, l1 = null;
        foreach (WeightDecayGroup group in groups)
        {
            foreach (string name in group.Parameters.Where(n => byName[n].requires_grad))
            {
                Tensor w = byName[name].reshape(-1);
                if (group.L2 != 0) l2 = Accumulate(l2, w.dot(w.detach()), group.L2);
                if (group.L1 != 0) l1 = Accumulate(l1, w.dot(w.detach().sign()), group.L1);
            }
        }
        Tensor? total = l2 is null ? l1 : l2.add(l2.detach(), alpha: -0.5);
        if (total is not null && l2 is not null && l1 is not null) total = total.add(l1);
        if (total is not null) return total.MoveToOuterDisposeScope();
        Parameter? any = module.parameters().FirstOrDefault();
        Tensor zero = any is null ? zeros(Array.Empty<long>()) : zeros(Array.Empty<long>(), dtype: any.dtype, device: any.device);
        return zero.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The same regularizer without autograd: after <c>dataLoss.backward()</c>, adds ∂Penalty/∂w = λ2·w + λ1·sign(w) to
    /// each decayed parameter's gradient in place. The gradients then equal those of <c>(dataLoss + Penalty()).backward()</c>;
    /// the cost is one fused element-wise pass per weight (two with L1) instead of a second branch through the autograd
    /// engine. It does not compute the penalty's value, which would be one more pass over every weight per step: ask
    /// <see cref="Penalty"/> when the value is wanted (the Trainer does so once per check). The Trainer takes this path for
    /// every weight-decay model.
    /// </summary>
    public static void AddGradients(Module module, IReadOnlyList<WeightDecayGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(groups);
        Dictionary<string, Parameter> byName = Resolve(module, groups);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (WeightDecayGroup group in groups)
        {
            foreach (string name in group.Parameters.Where(n => byName[n].requires_grad))
            {
                Parameter w = byName[name];
                Tensor? grad = w.grad;
                if (grad is null) continue; // a parameter the loss does not reach has no gradient to regularize yet
                if (group.L2 != 0) grad.add_(w, alpha: group.L2);
                if (group.L1 != 0) grad.add_(w.sign(), alpha: group.L1);
            }
        }
    }

    /// <summary>One group per declared group (weight decay = λ2), then <see cref="NoDecayGroup"/> with the rest; frozen parameters and empty groups left out.</summary>
    public static IReadOnlyList<ParameterGroup> ParameterGroups(Module module, IReadOnlyList<WeightDecayGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(groups);
        Dictionary<string, Parameter> byName = Resolve(module, groups);
        var result = new List<ParameterGroup>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (WeightDecayGroup group in groups)
        {
            var parameters = group.Parameters.Where(taken.Add).Select(n => byName[n]).Where(p => p.requires_grad).ToList();
            if (parameters.Count > 0) result.Add(new ParameterGroup(group.Name, parameters, group.L2, group.L1));
        }
        var rest = module.named_parameters().Where(p => !taken.Contains(p.name) && p.parameter.requires_grad).Select(p => p.parameter).ToList();
        if (rest.Count > 0) result.Add(new ParameterGroup(NoDecayGroup, rest, 0, 0));
        return result;
    }

    /// <summary>total + factor·term in one op (the scaling fused into the add); the scope disposes the intermediates.</summary>
    private static Tensor Accumulate(Tensor? total, Tensor term, double factor) => total is null ? term.mul(factor) : total.add(term, alpha: factor);

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

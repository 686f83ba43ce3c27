using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Max-norm regularization (Srivastava et al. 2014, used with dropout): after each optimizer step, every unit's incoming
/// weight vector w (a row of a Linear weight [out, in], one output filter of a convolution) with ‖w‖₂ &gt; c is rescaled
/// to norm c; shorter vectors are untouched. Call <see cref="Apply(nn.Module)"/> right after <c>optimizer.step()</c>.
/// </summary>
public static class MaxNorm
{
    /// <summary>Applies the model's declared constraints (nothing for a model without MaxNorm).</summary>
    public static void Apply(nn.Module module)
    {
        if (module is IConstrainedModel constrained) constrained.ApplyConstraints();
    }

    /// <summary>Projects each named weight onto its max-norm ball, in place, without recording gradients.</summary>
    public static void Apply(nn.Module module, IReadOnlyList<MaxNormConstraint> constraints)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(constraints);
        var byName = module.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (MaxNormConstraint constraint in constraints)
        {
            if (!byName.TryGetValue(constraint.Parameter, out var weight))
                throw new InvalidOperationException($"{module.GetName()}: max-norm constraint names parameter '{constraint.Parameter}', which the model does not have.");
            // renorm: each slice along dim 0 (one unit's incoming weights) whose 2-norm exceeds maxnorm is scaled by
            // maxnorm / (norm + 1e-7) (PyTorch's formula); TorchSharp has no in-place renorm_, so copy the result back.
            weight.copy_(weight.renorm(2, 0, (float)constraint.Max));
        }
    }
}

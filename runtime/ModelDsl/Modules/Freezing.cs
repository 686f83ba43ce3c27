using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Freezing a part of a model the way Keras's <c>trainable = False</c> does: its parameters stop requiring gradients (so
/// optimizers leave them alone) and it stays in eval mode while the rest trains, so a frozen BatchNorm keeps normalizing
/// with its running statistics and never updates them. The Trainer and BaggingTrainer switch models to training with
/// <see cref="TrainExceptFrozen"/>, which respects this; a plain <c>train()</c> would unfreeze the mode, which is why
/// setting a module to eval before <c>Fit</c> (the usual PyTorch workaround) is not enough.
/// </summary>
public static class Freezing
{
    private static readonly ConditionalWeakTable<nn.Module, object> frozen = new();

    /// <summary>
    /// Freezes <paramref name="module"/> and everything inside it; returns it. Its parameters' gradients are dropped
    /// (set to none, not zeroed): an optimizer's <c>zero_grad</c> only zeroes existing gradients, and Adam's moments, SGD's
    /// momentum or any weight decay would keep moving a parameter that still had one; optimizers skip a parameter without.
    /// </summary>
    public static T Freeze<T>(this T module) where T : nn.Module
    {
        foreach (var parameter in module.parameters())
        {
            parameter.requires_grad = false;
            parameter.grad = null;
        }
        frozen.AddOrUpdate(module, frozen);
        module.eval();
        return module;
    }

    /// <summary>Undoes <see cref="Freeze{T}"/>: parameters require gradients again and the module follows its parent's mode.</summary>
    public static T Unfreeze<T>(this T module) where T : nn.Module
    {
        foreach (var parameter in module.parameters()) parameter.requires_grad = true;
        frozen.Remove(module);
        return module;
    }

    /// <summary>Whether <paramref name="module"/> itself was frozen.</summary>
    public static bool IsFrozen(this nn.Module module) => frozen.TryGetValue(module, out _);

    /// <summary><c>train()</c> for <paramref name="model"/> and every module in it, except frozen ones, which stay in eval.</summary>
    public static void TrainExceptFrozen(this nn.Module model)
    {
        model.train();
        foreach (var module in FrozenIn(model)) module.eval();
    }

    /// <summary>The frozen modules in <paramref name="model"/> (itself included).</summary>
    public static IEnumerable<nn.Module> FrozenIn(nn.Module model) => model.modules().Prepend(model).Where(IsFrozen);
}

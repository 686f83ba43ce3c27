using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// <c>using (model.Evaluating()) { … }</c>: eval mode and no gradients inside, and on dispose — also when the body
/// throws — every module back in the mode it had (per module, so a partly frozen model stays as it was) and the
/// thread's grad mode restored. <c>model.Training()</c> likewise with train mode and gradients on.
/// </summary>
public static class ModeScope
{
    /// <summary>Switches <paramref name="module"/> and all its children to eval and disables gradients until disposed.</summary>
    public static IDisposable Evaluating(this nn.Module module) => new Scope(module, training: false);

    /// <summary>Switches <paramref name="module"/> and all its children to training and enables gradients until disposed.</summary>
    public static IDisposable Training(this nn.Module module) => new Scope(module, training: true);

    private sealed class Scope : IDisposable
    {
        private readonly List<(nn.Module Module, bool Training)> previous;
        private readonly IDisposable gradMode;
        private bool disposed;

        public Scope(nn.Module module, bool training)
        {
            ArgumentNullException.ThrowIfNull(module);
            previous = module.modules().Prepend(module).Select(m => (m, m.training)).ToList();
            // set_grad_enabled returns a guard that restores the thread's previous grad mode on dispose.
            gradMode = set_grad_enabled(training);
            module.train(training);
        }

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            // train(bool) recurses into children, so restore parents first and children after.
            foreach (var (module, training) in previous) module.train(training);
            gradMode.Dispose();
        }
    }
}

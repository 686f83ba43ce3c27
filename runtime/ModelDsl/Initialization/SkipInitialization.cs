using System;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// An ambient scope in which generated constructors build their layers without initializing them, for a model whose
/// every tensor is about to be overwritten by a weight file (<see cref="Weights.ModuleWeights.FromFile{TModel}(string, Func{TModel}, bool)"/> opens
/// one around the constructor; open one yourself only when you load strictly right after constructing).
/// <para>
/// Inside the scope every <see cref="Initializers"/> method returns without touching its tensor, so a model's declared
/// init (He, Xavier, zero-γ, Fixup scaling, seeded redraws) is skipped. TorchSharp's own layers still run their
/// constructor's init (Linear and Conv draw kaiming-uniform numbers, BatchNorm sets ones and zeros): TorchSharp 0.107 has
/// no switch for it. Those draws come from TorchSharp's global generator, whose state is saved when the scope begins and
/// restored when it ends, so constructing inside the scope does not shift the random numbers of the code around it.
/// The tensors of a model built inside the scope are TorchSharp's defaults, not the model's declared init: use them only
/// after a strict load has replaced every one.
/// </para>
/// The scope belongs to the thread that began it (constructors run synchronously); scopes nest.
/// </summary>
public sealed class SkipInitialization : IDisposable
{
    [ThreadStatic] private static int depth;

    private readonly Tensor savedGlobalState;
    private bool disposed;

    private SkipInitialization()
    {
        savedGlobalState = get_rng_state();
        depth++;
    }

    /// <summary>True on this thread between <see cref="Begin"/> and the matching <see cref="Dispose"/>.</summary>
    public static bool IsActive => depth > 0;

    /// <summary>Starts a scope: until it is disposed, <see cref="Initializers"/> on this thread do nothing.</summary>
    public static SkipInitialization Begin() => new();

    /// <summary>Ends the scope and restores TorchSharp's global generator to its state at <see cref="Begin"/>. A second call does nothing.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        depth--;
        set_rng_state(savedGlobalState);
        savedGlobalState.Dispose();
    }
}

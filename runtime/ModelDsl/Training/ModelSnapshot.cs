using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// A detached copy of a model's state (parameters and buffers such as batch-norm running statistics).
/// TorchSharp's <c>state_dict()</c> returns live references, so each tensor is cloned and kept out of any dispose scope.
/// </summary>
public sealed class ModelSnapshot : IDisposable
{
    private readonly Dictionary<string, Tensor> state = new();

    /// <summary>Copies the current state of <paramref name="model"/>.</summary>
    public ModelSnapshot(nn.Module model)
    {
        using var noGrad = no_grad();
        foreach (var (name, tensor) in model.state_dict()) state[name] = tensor.detach().clone().DetachFromDisposeScope();
    }

    /// <summary>Writes the copy back into <paramref name="model"/> bit for bit.</summary>
    public void RestoreInto(nn.Module model)
    {
        using var noGrad = no_grad();
        foreach (var (name, tensor) in model.state_dict())
        {
            if (!state.TryGetValue(name, out var saved))
                throw new InvalidOperationException($"ModelSnapshot: the model has '{name}', which the snapshot lacks (a different architecture?).");
            tensor.copy_(saved);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var tensor in state.Values) tensor.Dispose();
        state.Clear();
    }
}

using System.Collections.Generic;
using static TorchSharp.torch;

namespace Recipes;

public static class Persistence
{
    public static void SaveAndRestore(string path)
    {
        using var model = new ResidualMlp(seed: 1);
        // ... train ...
        model.save(path);                                   // every parameter and buffer (BatchNorm running stats too)

        using var restored = new ResidualMlp();             // any seed: load overwrites every tensor
        restored.load(path);                                // strict by default: names and shapes must match
        restored.eval();
    }

    /// <summary>Keeps the best weights in memory (early stopping's "restore best").</summary>
    public static Dictionary<string, Tensor> Snapshot(ResidualMlp model)
    {
        var copy = new Dictionary<string, Tensor>();
        // state_dict() returns live references: clone, and detach from the dispose scope so the copy outlives it.
        foreach (var (name, tensor) in model.state_dict()) copy[name] = tensor.detach().clone().DetachFromDisposeScope();
        return copy;
    }

    public static void Restore(ResidualMlp model, Dictionary<string, Tensor> best) => model.load_state_dict(best);
}

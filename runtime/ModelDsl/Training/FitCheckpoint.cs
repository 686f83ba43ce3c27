using System;
using System.Collections.Generic;
using System.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// What every fit loop's checkpoint holds besides model, optimizer, epoch, step and history (Trainer, GraphTrainer): the
/// metric sums since the last check (loop state <c>since_check</c>) and the state of each stateful callback, keyed by its
/// position and type, so a callback gets back only what the callback at the same position of the same type saved.
/// </summary>
internal static class FitCheckpoint
{
    private const string SinceCheckKey = "since_check";

    /// <summary>
    /// Writes the checkpoint atomically; <paramref name="saver"/> gives the writing of a stateful callback's state, null
    /// for a callback without one.
    /// </summary>
    public static void Save<TCallback>(string path, nn.Module model, optim.Optimizer optimizer, int epoch, long step, History history,
        WeightedMeans sinceCheck, IReadOnlyList<TCallback> callbacks, Func<TCallback, Action<BinaryWriter>?> saver)
        where TCallback : class
    {
        var states = new Dictionary<string, byte[]>();
        for (int i = 0; i < callbacks.Count; i++)
        {
            if (saver(callbacks[i]) is not { } save) continue;
            using var stream = new MemoryStream();
            using (var writer = new BinaryWriter(stream)) save(writer);
            states[Key(i, callbacks[i])] = stream.ToArray();
        }
        var loop = new Dictionary<string, byte[]> { [SinceCheckKey] = sinceCheck.ToBytes() };
        Checkpoint.Save(path, model, optimizer, new CheckpointState(epoch, step, history) { LoopState = loop, CallbackStates = states });
    }

    /// <summary>
    /// Loads model and optimizer (all or nothing, as <see cref="Checkpoint.Load(string, nn.Module, optim.Optimizer)"/>), then
    /// the sums since the last check and each stateful callback's state through <paramref name="loader"/> (a callback the
    /// checkpoint has no state for keeps its own); returns the rest for the trainer to take. A callback that changes the
    /// optimizer's parameter groups (<see cref="UnfreezeAt"/>, an <see cref="IShapesOptimizer"/>) gets its state once more
    /// before the optimizer's state is applied, so the groups it added in the saved run exist when that state is read.
    /// </summary>
    public static CheckpointState Load<TCallback>(string path, nn.Module model, optim.Optimizer optimizer, WeightedMeans sinceCheck,
        IReadOnlyList<TCallback> callbacks, Func<TCallback, Action<BinaryReader>?> loader)
        where TCallback : class
    {
        void Give(CheckpointState state, Func<TCallback, bool> which)
        {
            for (int i = 0; i < callbacks.Count; i++)
            {
                if (!which(callbacks[i]) || loader(callbacks[i]) is not { } load || !state.CallbackStates.TryGetValue(Key(i, callbacks[i]), out var bytes)) continue;
                using var reader = new BinaryReader(new MemoryStream(bytes));
                load(reader);
            }
        }
        var state = Checkpoint.Load(path, model, optimizer, beforeApply: sections => Give(sections, c => c is IShapesOptimizer));
        sinceCheck.Clear();
        if (state.LoopState.TryGetValue(SinceCheckKey, out var sums)) sinceCheck.Load(sums);
        Give(state, _ => true);
        return state;
    }

    private static string Key(int index, object callback) => $"{index}:{callback.GetType().FullName}";
}

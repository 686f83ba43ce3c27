using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// Gradual unfreezing for fine-tuning (Howard &amp; Ruder 2018): trains with <see cref="Module"/> frozen until
/// <see cref="Epoch"/>, then unfreezes it (<see cref="Freezing.Unfreeze{T}"/>) and adds its parameters to the trainer's
/// optimizer if the optimizer lacks them (as an optimizer built after freezing does, e.g. by
/// <see cref="RegularizedOptimizer"/>): one new parameter group per weight-decay group of the model
/// (<see cref="RegularizedOptimizer.Groups"/>), with <see cref="LearningRate"/> or the optimizer's default rate.
/// <para>
/// A callback acts at checks: with checks per epoch (the default) it unfreezes at the check ending epoch
/// <see cref="Epoch"/> − 1, so epoch <see cref="Epoch"/> trains the module from its first step; with
/// <c>CheckEveryBatches</c> it unfreezes at the first check in epoch <see cref="Epoch"/> (possibly mid-epoch).
/// Freezing the module before <c>Fit</c> is the caller's (the callback does not freeze). Its state (whether it acted) goes
/// into the Trainer's checkpoints: resuming from one saved after it acted unfreezes the module and adds the groups to the
/// fresh optimizer before the saved optimizer state is read, so the resumed run goes on as the uninterrupted one. (If
/// reading that state then fails, which the checksum and the tensor check leave to an optimizer of another kind, model and
/// optimizer state are restored, but the unfreeze and the added groups stay.)
/// </para>
/// </summary>
public sealed class UnfreezeAt : ICheckpointedCallback, IShapesOptimizer
{
    /// <summary>Unfreezes <paramref name="module"/> for epoch <paramref name="epoch"/> (1-based, at least 2) on.</summary>
    public UnfreezeAt(int epoch, nn.Module module, double? learningRate = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epoch, 2);
        ArgumentNullException.ThrowIfNull(module);
        (Epoch, Module, LearningRate) = (epoch, module, learningRate);
    }

    /// <summary>The first epoch that trains <see cref="Module"/>.</summary>
    public int Epoch { get; }

    /// <summary>The module to unfreeze (part of the trainer's model).</summary>
    public nn.Module Module { get; }

    /// <summary>The learning rate of the parameter groups added to the optimizer; null: the optimizer's default.</summary>
    public double? LearningRate { get; }

    /// <summary>Whether it has unfrozen the module.</summary>
    public bool Done { get; private set; }

    /// <inheritdoc/>
    public void OnCheck(Trainer trainer, HistoryRecord record)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(record);
        int due = trainer.Options.CheckEveryBatches is null ? Epoch - 1 : Epoch;
        if (Done || record.Epoch < due) return;
        Act(trainer);
    }

    /// <summary>Unfreezes the module and adds to the optimizer the parameters it lacks; repeatable.</summary>
    private void Act(Trainer trainer)
    {
        Module.Unfreeze();
        var inOptimizer = trainer.Optimizer.parameters().Select(p => p.Handle).ToHashSet();
        var unfrozen = Module.parameters().Select(p => p.Handle).ToHashSet();
        foreach (ParameterGroup group in RegularizedOptimizer.Groups(trainer.Model))
        {
            List<Parameter> added = group.Parameters.Where(p => unfrozen.Contains(p.Handle) && !inOptimizer.Contains(p.Handle)).ToList();
            if (added.Count > 0) RegularizedOptimizer.AddGroup(trainer.Optimizer, group with { Parameters = added }, LearningRate);
        }
        Done = true;
    }

    /// <inheritdoc/>
    public void OnTrainEnd(Trainer trainer) { }

    /// <summary>Writes whether it has acted.</summary>
    public void SaveState(System.IO.BinaryWriter writer, Trainer trainer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Done);
    }

    /// <summary>Reads whether it had acted, and if so acts again on this trainer (unfreeze, add the missing parameters).</summary>
    public void LoadState(System.IO.BinaryReader reader, Trainer trainer)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(trainer);
        if (reader.ReadBoolean()) Act(trainer);
    }
}

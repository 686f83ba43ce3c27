using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// Early stopping (chapter 5.5): after each check, compares the monitored metric with the best so far; after
/// <c>patience</c> checks without an improvement larger than <c>minDelta</c> it stops training. With
/// <c>restoreBest</c> the model ends with the best check's weights (bit-identical); otherwise it keeps the last ones.
/// Checks happen per epoch or every N batches, as <see cref="TrainerOptions.CheckEveryBatches"/> says. It serves the
/// <see cref="Trainer"/> and the <see cref="GraphTrainer{TOutput}"/> alike (monitor e.g. <c>val_class_loss</c> there).
/// </summary>
public sealed class EarlyStopping : ICheckpointedCallback, ICheckpointedGraphCallback, IDisposable
{
    private readonly List<int> nonFiniteChecks = new();
    private ModelSnapshot? best;
    private int checksWithoutImprovement;
    private int checks;

    /// <summary>Creates the callback.</summary>
    public EarlyStopping(string monitor = "val_loss", int patience = 5, double minDelta = 0, bool restoreBest = true, MonitorMode mode = MonitorMode.Auto)
    {
        if (patience < 0) throw new ArgumentOutOfRangeException(nameof(patience), $"EarlyStopping: patience must be ≥ 0, got {patience}.");
        if (minDelta < 0) throw new ArgumentOutOfRangeException(nameof(minDelta), $"EarlyStopping: minDelta must be ≥ 0, got {minDelta}.");
        Monitor = monitor;
        Patience = patience;
        MinDelta = minDelta;
        RestoreBest = restoreBest;
        Mode = mode;
    }

    /// <summary>The history key watched (<c>val_loss</c>, <c>val_accuracy</c>, any metric).</summary>
    public string Monitor { get; }

    /// <summary>Checks without improvement tolerated before stopping.</summary>
    public int Patience { get; }

    /// <summary>The smallest change that counts as an improvement.</summary>
    public double MinDelta { get; }

    /// <summary>Whether the model gets the best check's weights back when training ends.</summary>
    public bool RestoreBest { get; }

    /// <summary>The mode given (possibly <see cref="MonitorMode.Auto"/>); <see cref="ResolvedMode"/> is the one used.</summary>
    public MonitorMode Mode { get; }

    /// <summary>Min or Max, once the first check resolved <see cref="MonitorMode.Auto"/>.</summary>
    public MonitorMode ResolvedMode { get; private set; }

    /// <summary>The best finite value seen (NaN before the first finite check).</summary>
    public double BestValue { get; private set; } = double.NaN;

    /// <summary>0-based index of the best check among the checks seen.</summary>
    public int BestCheck { get; private set; } = -1;

    /// <summary>
    /// 0-based indices of the checks whose monitored value was NaN or ∞: each counted as a check without improvement and
    /// never became <see cref="BestValue"/> (the history keeps the value itself).
    /// </summary>
    public IReadOnlyList<int> NonFiniteChecks => nonFiniteChecks;

    /// <summary>0-based index of the check that stopped training, or null if it never stopped it.</summary>
    public int? StoppedAtCheck { get; private set; }

    /// <inheritdoc/>
    public void OnCheck(Trainer trainer, HistoryRecord record)
        => Check(trainer.Model, trainer.Stop, name => trainer.Metrics.FirstOrDefault(m => m.Name == name)?.HigherIsBetter, record);

    /// <inheritdoc/>
    public void OnCheck(IGraphTrainer trainer, HistoryRecord record) => Check(trainer.Model, trainer.Stop, trainer.HigherIsBetter, record);

    /// <inheritdoc/>
    public void OnTrainEnd(IGraphTrainer trainer)
    {
        if (RestoreBest && best is not null) best.RestoreInto(trainer.Model);
    }

    private void Check(nn.Module model, Action stop, Func<string, bool?> higherIsBetter, HistoryRecord record)
    {
        if (!record.Values.TryGetValue(Monitor, out double value))
        {
            throw new InvalidOperationException(
                $"EarlyStopping: the history has no '{Monitor}' (it has {string.Join(", ", record.Values.Keys)}); pass validation data to Fit for val_* metrics.");
        }
        if (ResolvedMode == MonitorMode.Auto) ResolvedMode = Resolve(higherIsBetter);

        int index = checks++;
        // NaN or ∞ is never an improvement (NaN compares false both ways, so a NaN first check would stay best forever).
        if (!double.IsFinite(value)) nonFiniteChecks.Add(index);
        bool improved = double.IsFinite(value)
            && (BestCheck < 0 || (ResolvedMode == MonitorMode.Min ? value < BestValue - MinDelta : value > BestValue + MinDelta));
        if (improved)
        {
            BestValue = value;
            BestCheck = index;
            checksWithoutImprovement = 0;
            if (RestoreBest)
            {
                // One snapshot for the whole run, overwritten in place: no tensors allocated per improvement.
                if (best is null) best = new ModelSnapshot(model);
                else best.CopyFrom(model);
            }
            return;
        }
        if (++checksWithoutImprovement >= Patience && StoppedAtCheck is null)
        {
            StoppedAtCheck = index;
            stop();
        }
    }

    /// <inheritdoc/>
    public void OnTrainEnd(Trainer trainer)
    {
        if (RestoreBest && best is not null) best.RestoreInto(trainer.Model);
    }

    /// <inheritdoc/>
    public void Dispose() => best?.Dispose();

    /// <inheritdoc/>
    public void SaveState(BinaryWriter writer, Trainer trainer) => Save(writer);

    /// <inheritdoc/>
    public void SaveState(BinaryWriter writer, IGraphTrainer trainer) => Save(writer);

    /// <inheritdoc/>
    public void LoadState(BinaryReader reader, Trainer trainer) => Load(reader, trainer.Model);

    /// <inheritdoc/>
    public void LoadState(BinaryReader reader, IGraphTrainer trainer) => Load(reader, trainer.Model);

    private void Save(BinaryWriter writer)
    {
        writer.Write((int)ResolvedMode);
        writer.Write(BestValue);
        writer.Write(BestCheck);
        writer.Write(checks);
        writer.Write(checksWithoutImprovement);
        writer.Write(StoppedAtCheck ?? -1);
        writer.Write(nonFiniteChecks.Count);
        foreach (int check in nonFiniteChecks) writer.Write(check);
        // The best weights too: restoreBest after resuming must restore the same model the uninterrupted run would.
        writer.Write(best is null ? 0 : best.State.Count);
        if (best is null) return;
        foreach (var (name, tensor) in best.State)
        {
            writer.Write(name);
            tensor.Save(writer);
        }
    }

    private void Load(BinaryReader reader, nn.Module model)
    {
        ResolvedMode = (MonitorMode)reader.ReadInt32();
        BestValue = reader.ReadDouble();
        BestCheck = reader.ReadInt32();
        checks = reader.ReadInt32();
        checksWithoutImprovement = reader.ReadInt32();
        int stopped = reader.ReadInt32();
        StoppedAtCheck = stopped < 0 ? null : stopped;
        nonFiniteChecks.Clear();
        for (int i = reader.ReadInt32(); i > 0; i--) nonFiniteChecks.Add(reader.ReadInt32());
        int tensors = reader.ReadInt32();
        if (tensors == 0) return;
        best ??= new ModelSnapshot(model);
        for (int i = 0; i < tensors; i++)
        {
            string name = reader.ReadString();
            if (!best.State.TryGetValue(name, out var tensor))
                throw new InvalidDataException($"EarlyStopping: the saved best model has '{name}', which this model lacks.");
            tensor.Load(reader);
        }
    }

    // higherIsBetter: what the trainer's metric of that history key (without val_) says, null when no metric has it.
    private MonitorMode Resolve(Func<string, bool?> higherIsBetter)
    {
        if (Mode != MonitorMode.Auto) return Mode;
        string name = Monitor.StartsWith("val_", StringComparison.Ordinal) ? Monitor["val_".Length..] : Monitor;
        if (higherIsBetter(name) is bool higher) return higher ? MonitorMode.Max : MonitorMode.Min;
        if (name.Contains("loss", StringComparison.OrdinalIgnoreCase) || name.Contains("error", StringComparison.OrdinalIgnoreCase) || name == "penalty") return MonitorMode.Min;
        if (name.Contains("acc", StringComparison.OrdinalIgnoreCase)) return MonitorMode.Max;
        throw new InvalidOperationException($"EarlyStopping: cannot tell whether '{Monitor}' should go up or down; pass mode: MonitorMode.Min or MonitorMode.Max.");
    }
}

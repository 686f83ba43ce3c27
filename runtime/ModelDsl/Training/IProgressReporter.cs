using System;

namespace ModelDsl.Training;

/// <summary>Shows training progress. <see cref="Run"/> wraps the whole fit, so a live display can own the console meanwhile.</summary>
public interface IProgressReporter
{
    /// <summary>Runs <paramref name="fit"/> with the display active.</summary>
    void Run(Action fit);

    /// <summary>An epoch of <paramref name="batches"/> batches begins.</summary>
    void EpochStarted(int epoch, int epochs, int batches);

    /// <summary>A batch finished; <paramref name="runningLoss"/> is the epoch's mean training loss so far.</summary>
    void BatchFinished(double runningLoss);

    /// <summary>A check finished (per epoch or per N batches).</summary>
    void Checked(HistoryRecord record);

    /// <summary>The epoch finished.</summary>
    void EpochFinished(int epoch);

    /// <summary>A one-line note from the trainer (the thread count it chose, where it prepares batches, steps it recomputed or skipped); ignored by default.</summary>
    void Note(string message) { }
}

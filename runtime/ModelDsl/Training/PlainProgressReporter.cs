using System;
using System.Diagnostics;
using System.IO;

namespace ModelDsl.Training;

/// <summary>One line per check and nothing per batch: readable in CI logs and redirected output.</summary>
public sealed class PlainProgressReporter : IProgressReporter
{
    private readonly TextWriter output;
    private readonly Stopwatch epochClock = new();
    private int epoch;
    private int epochs;

    /// <summary>Writes to <paramref name="output"/>.</summary>
    public PlainProgressReporter(TextWriter output) => this.output = output;

    /// <inheritdoc/>
    public void Run(Action fit) => fit();

    /// <inheritdoc/>
    public void EpochStarted(int epoch, int epochs, int batches)
    {
        this.epoch = epoch;
        this.epochs = epochs;
        epochClock.Restart();
    }

    /// <inheritdoc/>
    public void BatchFinished(double runningLoss) { }

    /// <inheritdoc/>
    public void Checked(HistoryRecord record)
        => output.WriteLine($"epoch {epoch}/{epochs}  step {record.Step}  {MetricFormat.Of(record)}  ({epochClock.Elapsed.TotalSeconds:0.0} s)");

    /// <inheritdoc/>
    public void EpochFinished(int epoch) => output.Flush();

    /// <inheritdoc/>
    public void Note(string message) => output.WriteLine(message);
}

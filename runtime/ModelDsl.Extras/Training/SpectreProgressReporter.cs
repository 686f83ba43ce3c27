using System;
using System.Globalization;
using Spectre.Console;

namespace ModelDsl.Training;

/// <summary>A Spectre.Console progress bar per epoch with the running loss, the last check's metrics and the ETA.</summary>
public sealed class SpectreProgressReporter : IProgressReporter
{
    private ProgressContext? context;
    private ProgressTask? task;
    private string header = "";
    private string lastCheck = "";

    /// <inheritdoc/>
    public void Run(Action fit)
        => AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                context = ctx;
                fit();
            });

    /// <inheritdoc/>
    public void EpochStarted(int epoch, int epochs, int batches)
    {
        header = $"epoch {epoch}/{epochs}";
        task = context?.AddTask(Markup.Escape(header), maxValue: batches);
    }

    /// <inheritdoc/>
    public void BatchFinished(double runningLoss)
    {
        if (task is null) return;
        task.Increment(1);
        task.Description = Markup.Escape($"{header}  loss {runningLoss.ToString("0.0000", CultureInfo.InvariantCulture)}  {lastCheck}");
    }

    /// <inheritdoc/>
    public void Checked(HistoryRecord record)
    {
        lastCheck = MetricFormat.Of(record);
        if (task is not null) task.Description = Markup.Escape($"{header}  {lastCheck}");
    }

    /// <inheritdoc/>
    public void EpochFinished(int epoch)
    {
        if (task is null) return;
        task.Value = task.MaxValue;
        task.StopTask();
    }

    /// <inheritdoc/>
    public void Note(string message) => AnsiConsole.MarkupLine("[grey]" + Markup.Escape(message) + "[/]");
}

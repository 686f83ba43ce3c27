using System;

namespace ModelDsl.Training;

/// <summary>Chooses how to show training progress.</summary>
public static class ProgressReporters
{
    /// <summary>
    /// A Spectre.Console progress bar per epoch on an interactive terminal; plain one-line-per-epoch text when
    /// standard output is redirected or the <c>CI</c> environment variable is set (bars would only spam a log).
    /// </summary>
    public static IProgressReporter Auto()
        => Console.IsOutputRedirected || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
            ? new PlainProgressReporter(Console.Out)
            : new SpectreProgressReporter();
}

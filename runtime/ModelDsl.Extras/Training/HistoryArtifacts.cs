namespace ModelDsl.Training;

/// <summary>The run's record on disk, for a <see cref="History"/> (here because the plot needs ScottPlot).</summary>
public static class HistoryArtifacts
{
    /// <summary>
    /// Writes the run's record into <paramref name="folder"/>: learning-curves.png (train vs validation, via
    /// <see cref="LearningCurves"/>) and history.csv. Returns the PNG's path.
    /// </summary>
    public static string SaveArtifacts(this History history, string folder)
    {
        string png = LearningCurves.SavePng(history, System.IO.Path.Combine(folder, "learning-curves.png"));
        history.SaveCsv(System.IO.Path.Combine(folder, "history.csv"));
        return png;
    }
}

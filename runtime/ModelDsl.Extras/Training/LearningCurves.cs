using System;
using System.IO;
using System.Linq;
using ScottPlot;

namespace ModelDsl.Training;

/// <summary>
/// The chapter's overfitting figure: training vs validation loss (left) and accuracy (right) per check, saved as PNG
/// with ScottPlot. A widening gap between the curves is overfitting; early stopping picks the validation optimum.
/// </summary>
public static class LearningCurves
{
    /// <summary>Saves the plot to <paramref name="path"/> (folders are created) and returns the full path.</summary>
    public static string SavePng(History history, string path, int width = 1000, int height = 420)
    {
        if (history.Records.Count == 0) throw new ArgumentException("LearningCurves: the history is empty; train first.", nameof(history));
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);

        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        Draw(multiplot.GetPlot(0), history, "loss");
        Draw(multiplot.GetPlot(1), history, "accuracy");
        multiplot.SavePng(full, width, height);
        return full;
    }

    private static void Draw(Plot plot, History history, string metric)
    {
        double[] checks = Enumerable.Range(1, history.Records.Count).Select(i => (double)i).ToArray();
        foreach (string name in new[] { metric, "val_" + metric })
        {
            double[] values = history.Values(name);
            if (values.All(double.IsNaN)) continue;
            var line = plot.Add.Scatter(checks, values);
            line.LegendText = name.StartsWith("val_", StringComparison.Ordinal) ? "validation" : "training";
        }
        plot.Title(metric);
        plot.XLabel("check (epoch or every N batches)");
        plot.YLabel(metric);
        plot.ShowLegend();
    }
}

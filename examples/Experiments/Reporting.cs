using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Experiments;
using ScottPlot;
using SkiaSharp;

namespace Experiments;

/// <summary>
/// Turns experiment results into Markdown tables and small PNG figures (ScottPlot). Each method writes its figures
/// under <c>{docs}/figures/</c> and returns Markdown whose image links are relative to <c>{docs}/results/</c>.
/// </summary>
public static partial class Reporting
{
    private static string F(double v, string format = "G3") => v.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>The directory holding ModelDsl.sln, searched upwards from the working directory.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ModelDsl.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No ModelDsl.sln above {Directory.GetCurrentDirectory()}: run from inside the repository.");
    }

    private static string Figure(string docs, string name) => Path.Combine(Directory.CreateDirectory(Path.Combine(docs, "figures")).FullName, name);

    /// <summary>The 5.1 table, the std-per-layer figure and the histogram grid.</summary>
    public static string Init(InitResult r, string docs)
    {
        var md = new StringBuilder();
        md.AppendLine($"### 5.1 init: activation std per layer ({r.Width} units × 10 layers, {r.Samples} inputs ~ N(0, I))\n");
        md.AppendLine("| init | activation | " + string.Join(" | ", Enumerable.Range(1, 10).Select(l => $"L{l}")) + " | saturated L10 |");
        md.AppendLine("|---|---|" + string.Concat(Enumerable.Repeat("---|", 11)));
        foreach (var c in r.Cells)
            md.AppendLine($"| {c.Init} | {c.Activation} | {string.Join(" | ", c.LayerStd.Select(s => F(s)))} | {F(c.LayerSaturated[^1], "P0")} |");

        // Std per layer, one panel per activation, log scale (log10 of the std; zeros shown at −8).
        using (var surface = SKSurface.Create(new SKImageInfo(1200, 360)))
        {
            surface.Canvas.Clear(SKColors.White);
            for (int a = 0; a < InitExperiment.Activations.Length; a++)
            {
                var plot = new Plot();
                string activation = InitExperiment.Activations[a];
                foreach (var c in r.Cells.Where(c => c.Activation == activation))
                {
                    var line = plot.Add.Scatter(Enumerable.Range(1, 10).Select(l => (double)l).ToArray(),
                        c.LayerStd.Select(s => Math.Log10(Math.Max(s, 1e-8))).ToArray());
                    line.LegendText = c.Init;
                }
                plot.Title(activation);
                plot.XLabel("layer");
                plot.YLabel("log10 std");
                if (a == 0) plot.ShowLegend(Alignment.LowerLeft);
                DrawAt(surface, plot, a * 400, 0, 400, 360);
            }
            Save(surface, Figure(docs, "init-std.png"));
        }

        // Histogram grid: rows = init, columns = activation; layers 1, 4, 7, 10 overlaid (Glorot & Bengio 2010, fig. 3/6).
        const int cw = 300, ch = 170;
        using (var surface = SKSurface.Create(new SKImageInfo(cw * 3, ch * InitExperiment.Inits.Length)))
        {
            surface.Canvas.Clear(SKColors.White);
            foreach (var c in r.Cells)
            {
                int row = Array.IndexOf(InitExperiment.Inits, c.Init), col = Array.IndexOf(InitExperiment.Activations, c.Activation);
                var plot = new Plot();
                double low = c.Activation == "Tanh" ? -1 : 0, high = c.Activation == "ReLU" ? Math.Max(1e-6, c.LayerSamples.Max(s => s.Max())) : 1;
                foreach (int layer in new[] { 0, 3, 6, 9 })
                {
                    var hist = ScottPlot.Statistics.Histogram.WithBinCount(40, low, high);
                    hist.AddRange(c.LayerSamples[layer].Select(v => (double)v));
                    var line = plot.Add.ScatterLine(hist.Bins, hist.GetProbability());
                    line.LegendText = $"L{layer + 1}";
                }
                plot.Title($"{c.Init}, {c.Activation}", size: 11);
                if (row == 0 && col == 0) plot.ShowLegend(Alignment.UpperRight);
                DrawAt(surface, plot, col * cw, row * ch, cw, ch);
            }
            Save(surface, Figure(docs, "init-histograms.png"));
        }
        md.AppendLine("\n![std per layer](../figures/init-std.png)\n![histograms](../figures/init-histograms.png)");
        return md.ToString();
    }

    /// <summary>The 5.1.1 table (no figure).</summary>
    public static string Symmetry(SymmetryResult r)
    {
        var md = new StringBuilder();
        md.AppendLine($"### 5.1.1 symmetry after {r.Steps} SGD steps (lr 0.5, 128 samples, 8 → 16 → 16 → 3, tanh)\n");
        md.AppendLine("| init | σ₂/σ₁ hidden 1 | σ₂/σ₁ hidden 2 | max row spread | max ‖∂L/∂W‖ hidden (last step) | loss first → last |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var run in new[] { r.Constant, r.Zeros, r.Random })
            md.AppendLine($"| {run.Init} | {F(run.RankRatio[0])} | {F(run.RankRatio[1])} | {F(run.RowSpread.Max())} | {F(run.MaxHiddenGradient)} | {F(run.FirstLoss, "F4")} → {F(run.LastLoss, "F4")} |");
        return md.ToString();
    }

    /// <summary>The 5.3 table, the eval comparison and the learning-curve figure.</summary>
    public static string BatchNorm(BatchNormResult r, string docs)
    {
        var md = new StringBuilder();
        md.AppendLine("### 5.3 batch norm: plain SGD, batches of 64, 20 → 4×256 ReLU → 4\n");
        md.AppendLine("| run | train loss epoch 1 | train loss last | test accuracy last |");
        md.AppendLine("|---|---|---|---|");
        foreach (var c in r.Curves) md.AppendLine($"| {c.Name} | {F(c.TrainLoss[0], "F4")} | {F(c.TrainLoss[^1], "F4")} | {F(c.FinalAccuracy, "P1")} |");
        md.AppendLine($"\nBN model on the test set: eval with running averages {F(r.RunningStatsAccuracy, "P1")}; " +
                      $"batch statistics of the whole test set {F(r.BatchStatsAccuracy, "P1")}; batch statistics of batches of 4 {F(r.SmallBatchStatsAccuracy, "P1")}.");
        var plot = new Plot();
        foreach (var c in r.Curves)
        {
            var line = plot.Add.Scatter(Enumerable.Range(1, c.TrainLoss.Length).Select(e => (double)e).ToArray(),
                c.TrainLoss.Select(l => double.IsFinite(l) ? Math.Min(l, 3) : 3).ToArray());
            line.LegendText = c.Name;
        }
        plot.Title("training loss (clipped at 3; NaN shown as 3)");
        plot.XLabel("epoch");
        plot.ShowLegend();
        plot.SavePng(Figure(docs, "batchnorm-curves.png"), 600, 400);
        md.AppendLine("\n![learning curves](../figures/batchnorm-curves.png)");
        return md.ToString();
    }

    /// <summary>The 5.7 table and the variance-law figure.</summary>
    public static string Bagging(BaggingResult r, string docs)
    {
        var md = new StringBuilder();
        md.AppendLine($"### 5.7 bagging variance law: v = {F(r.Variance, "G4")}, c = {F(r.Covariance, "G4")} (from members 1–{r.K.Length}; measured on members {r.K.Length + 1}–{2 * r.K.Length})\n");
        md.AppendLine("| k | predicted v/k + (k−1)c/k | measured | measured / predicted | difference / its standard error |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (int i in new[] { 0, 1, 2, 4, 9, 19 }.Where(i => i < r.K.Length))
            md.AppendLine($"| {r.K[i]} | {F(r.Predicted[i], "G4")} | {F(r.Measured[i], "G4")} | {F(r.Measured[i] / r.Predicted[i], "F2")} | {F((r.Measured[i] - r.Predicted[i]) / BaggingExperiment.DifferenceStdError(r, r.K[i]), "F2")} |");
        var plot = new Plot();
        double[] ks = r.K.Select(k => (double)k).ToArray();
        plot.Add.Scatter(ks, r.Predicted).LegendText = "predicted v/k + (k−1)c/k";
        plot.Add.Scatter(ks, r.Measured).LegendText = "measured";
        plot.Add.HorizontalLine(r.Covariance).LegendText = "c (the floor)";
        plot.XLabel("members k");
        plot.YLabel("ensemble squared error");
        plot.ShowLegend();
        plot.SavePng(Figure(docs, "bagging-variance.png"), 600, 400);
        md.AppendLine("\n![variance law](../figures/bagging-variance.png)");
        return md.ToString();
    }

    /// <summary>The 5.9 tables and the flatness figure.</summary>
    public static string Noise(NoiseResult r, string docs)
    {
        var md = new StringBuilder();
        var i = r.InputNoise;
        md.AppendLine($"### 5.9 input noise σ² = {F(i.NoiseVariance)} vs ridge with penalty σ²‖w‖²\n");
        md.AppendLine("| weights | " + string.Join(" | ", Enumerable.Range(1, i.Ridge.Length).Select(k => $"w{k}")) + " |");
        md.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---|", i.Ridge.Length)));
        md.AppendLine("| true | " + string.Join(" | ", i.TrueWeights.Select(v => F(v, "F4"))) + " |");
        md.AppendLine("| least squares | " + string.Join(" | ", i.LeastSquares.Select(v => F(v, "F4"))) + " |");
        md.AppendLine("| ridge (closed form) | " + string.Join(" | ", i.Ridge.Select(v => F(v, "F4"))) + " |");
        md.AppendLine("| SGD on noisy inputs | " + string.Join(" | ", i.NoiseTrained.Select(v => F(v, "F4"))) + " |");
        md.AppendLine($"\n‖noise-trained − ridge‖ = {F(i.DistanceToRidge)}; ‖least squares − ridge‖ = {F(i.LeastSquaresToRidge)}.\n");
        var w = r.WeightNoise;
        md.AppendLine($"### 5.9 weight noise (std {F(w.TrainingNoiseStd)} in training) and flatness\n");
        md.AppendLine($"Training loss: plain {F(w.PlainLoss, "F4")}, weight noise {F(w.NoisyLoss, "F4")}.\n");
        md.AppendLine("| perturbation std ρ | loss increase, plain | loss increase, weight noise |");
        md.AppendLine("|---|---|---|");
        for (int k = 0; k < w.Radii.Length; k++) md.AppendLine($"| {F(w.Radii[k])} | {F(w.PlainIncrease[k], "G4")} | {F(w.NoisyIncrease[k], "G4")} |");
        var plot = new Plot();
        plot.Add.Scatter(w.Radii, w.PlainIncrease).LegendText = "trained without noise";
        plot.Add.Scatter(w.Radii, w.NoisyIncrease).LegendText = "trained with weight noise";
        plot.XLabel("perturbation std ρ");
        plot.YLabel("E[L(w+ε)] − L(w)");
        plot.ShowLegend();
        plot.SavePng(Figure(docs, "noise-flatness.png"), 600, 400);
        md.AppendLine("\n![flatness](../figures/noise-flatness.png)");
        return md.ToString();
    }

    /// <summary>Renders a plot on its own surface and draws it into a cell of a grid (a plot clears the canvas it renders on).</summary>
    private static void DrawAt(SKSurface grid, Plot plot, int x, int y, int width, int height)
    {
        using var cell = SKSurface.Create(new SKImageInfo(width, height));
        plot.Render(cell.Canvas, width, height);
        using var image = cell.Snapshot();
        grid.Canvas.DrawImage(image, x, y);
    }

    private static void Save(SKSurface surface, string path)
    {
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
    }
}

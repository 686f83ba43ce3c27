using System;
using System.Linq;
using System.Text;
using ScottPlot;

namespace Experiments;

/// <summary>Tables and figures of the regularization experiments (5.4, 5.5, 5.6, 5.8).</summary>
public static partial class Reporting
{
    /// <summary>The 5.4 tables and the weight-histogram figure.</summary>
    public static string WeightDecay(WeightDecayResult r, string docs)
    {
        var md = new StringBuilder();
        var s = r.Sparse;
        md.AppendLine($"### 5.4 L1 vs L2 on a sparse regression ({s.TrueWeights.Length} features, {WeightDecayExperiment.Relevant} relevant)\n");
        md.AppendLine($"| penalty | fraction of |w| < 10⁻³ (all {s.TrueWeights.Length}) | same, the {s.TrueWeights.Length - WeightDecayExperiment.Relevant} null features | largest |w| of a null feature | relevant weights (true: {string.Join(", ", s.TrueWeights.Take(WeightDecayExperiment.Relevant).Select(v => F(v)))}) |");
        md.AppendLine("|---|---|---|---|---|");
        md.AppendLine($"| L1, λ1 = {F(Models.RegularizationSetup.L1)} | {F(s.L1SmallFraction, "P0")} | {F(s.L1NullSmallFraction, "P0")} | {F(s.L1Weights.Skip(WeightDecayExperiment.Relevant).Max(Math.Abs))} | {string.Join(", ", s.L1Weights.Take(WeightDecayExperiment.Relevant).Select(v => F(v)))} |");
        md.AppendLine($"| L2, λ2 = {F(Models.RegularizationSetup.L2)} | {F(s.L2SmallFraction, "P0")} | {F(s.L2NullSmallFraction, "P0")} | {F(s.L2Weights.Skip(WeightDecayExperiment.Relevant).Max(Math.Abs))} | {string.Join(", ", s.L2Weights.Take(WeightDecayExperiment.Relevant).Select(v => F(v)))} |");
        md.AppendLine($"\n### 5.4 per-group λ (λ2 = {F(Models.RegularizationSetup.GroupL2)} on one group; 1 → 32 → 32 → 1 tanh on noisy sine)\n");
        md.AppendLine("| run | ‖W‖ hidden group | vs no decay | ‖W‖ output group | vs no decay | training MSE |");
        md.AppendLine("|---|---|---|---|---|---|");
        var control = r.Groups[0];
        foreach (var g in r.Groups)
            md.AppendLine($"| {g.Name} | {F(g.HiddenNorm, "F3")} | {F(g.HiddenNorm / control.HiddenNorm - 1, "+0%;-0%;0%")} | {F(g.OutputNorm, "F3")} | {F(g.OutputNorm / control.OutputNorm - 1, "+0%;-0%;0%")} | {F(g.TrainLoss, "F4")} |");
        md.AppendLine($"\nLargest |∂Penalty/∂θ| outside the decayed group (output-only model): {F(r.PenaltyGradientOutsideGroup)}.");

        // Histogram of log10 |w|: on a linear axis both penalties look like "a spike at 0"; on a log axis L1's null
        // weights sit at the oscillation floor (~10⁻⁴) and L2's at the least-squares noise level (~10⁻²).
        var plot = new Plot();
        foreach (var (name, weights) in new[] { ("L1", s.L1Weights), ("L2", s.L2Weights) })
        {
            var hist = ScottPlot.Statistics.Histogram.WithBinCount(35, -7, 1);
            hist.AddRange(weights.Select(w => Math.Log10(Math.Max(Math.Abs(w), 1e-7))));
            plot.Add.ScatterLine(hist.Bins, hist.Counts).LegendText = name;
        }
        plot.Add.VerticalLine(Math.Log10(WeightDecayExperiment.ZeroThreshold), pattern: LinePattern.Dashed).LegendText = "|w| = 10⁻³";
        plot.XLabel("log10 |w|");
        plot.YLabel("weights");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(Figure(docs, "weightdecay-histograms.png"), 600, 400);
        md.AppendLine("\n![weight histograms](../figures/weightdecay-histograms.png)");
        return md.ToString();
    }

    /// <summary>The 5.5 tables, the overfitting figure and the weight-path figure.</summary>
    public static string EarlyStopping(EarlyStoppingResult r, string docs)
    {
        var md = new StringBuilder();
        var o = r.Overfitting;
        md.AppendLine($"### 5.5 overfitting on {o.TrainImages:N0} MNIST images ({o.TrainLoss.Length} epochs, test on {o.TestImages:N0})\n");
        int minEpoch = Array.IndexOf(o.ValidationLoss, o.ValidationLoss.Min()) + 1;
        md.AppendLine($"Lowest validation loss {F(o.ValidationLoss.Min(), "F4")} at epoch {minEpoch}; at the last epoch {F(o.ValidationLoss[^1], "F4")} " +
                      $"(training loss {F(o.TrainLoss[minEpoch - 1], "F4")} → {F(o.TrainLoss[^1], "F4")}). EarlyStopping(patience {o.Patience}) stopped after epoch {o.StoppedEpoch}, best epoch {o.BestEpoch}.\n");
        md.AppendLine("| model | epochs trained | test accuracy | test loss |");
        md.AppendLine("|---|---|---|---|");
        md.AppendLine($"| trained to the end | {o.TrainLoss.Length} | {F(o.EndTestAccuracy, "P2")} | {F(o.EndTestLoss, "F4")} |");
        md.AppendLine($"| early stopping, best restored | {o.StoppedEpoch} (weights of epoch {o.BestEpoch}) | {F(o.StoppedTestAccuracy, "P2")} | {F(o.StoppedTestLoss, "F4")} |");

        var plot = new Plot();
        double[] epochs = Enumerable.Range(1, o.TrainLoss.Length).Select(e => (double)e).ToArray();
        plot.Add.Scatter(epochs, o.TrainLoss).LegendText = "training loss";
        plot.Add.Scatter(epochs, o.ValidationLoss).LegendText = "validation loss";
        plot.Add.VerticalLine(o.BestEpoch).LegendText = "best epoch (restored)";
        plot.Add.VerticalLine(o.StoppedEpoch, pattern: LinePattern.Dashed).LegendText = "early stopping fires";
        plot.XLabel("epoch");
        plot.YLabel("cross-entropy");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(Figure(docs, "earlystopping-curves.png"), 600, 400);
        md.AppendLine("\n![overfitting](../figures/earlystopping-curves.png)\n");

        var p = r.Path;
        md.AppendLine($"### 5.5.2 gradient descent from 0 vs the ridge path (η = {F(p.LearningRate)}, Hessian eigenvalues {string.Join(", ", p.Eigenvalues.Select(e => F(e)))})\n");
        md.AppendLine("| step t | 1/(ηt) | nearest ridge λ* | λ*·ηt | ‖w_t − w(λ*)‖ / ‖w_LS‖ |");
        md.AppendLine("|---|---|---|---|---|");
        for (int k = 0; k < p.Steps.Length; k++)
            md.AppendLine($"| {p.Steps[k]} | {F(1 / (p.LearningRate * p.Steps[k]))} | {F(p.BestLambda[k])} | {F(p.BestLambda[k] * p.LearningRate * p.Steps[k], "F2")} | {F(p.RelativeDistance[k], "P1")} |");
        var path = new Plot();
        path.Add.ScatterLine(p.GradientPath.Select(w => w[0]).ToArray(), p.GradientPath.Select(w => w[1]).ToArray()).LegendText = "gradient descent w_t";
        var ridge = path.Add.ScatterLine(p.RidgePath.Select(w => w[0]).ToArray(), p.RidgePath.Select(w => w[1]).ToArray());
        ridge.LegendText = "ridge w(λ)";
        ridge.LinePattern = LinePattern.Dashed;
        foreach (int t in p.Steps)
        {
            var marker = path.Add.Marker(p.GradientPath[t][0], p.GradientPath[t][1]);
            marker.Size = 6;
        }
        path.XLabel("w₁");
        path.YLabel("w₂");
        path.Title("markers: w_t at the table's steps");
        path.ShowLegend(Alignment.UpperLeft);
        path.SavePng(Figure(docs, "earlystopping-path.png"), 500, 450);
        md.AppendLine("\n![weight path](../figures/earlystopping-path.png)");
        return md.ToString();
    }

    /// <summary>The 5.6 tables.</summary>
    public static string Augmentation(AugmentationResult r)
    {
        var md = new StringBuilder();
        md.AppendLine($"### 5.6 augmentation on {r.TrainImages:N0} MNIST images (784 → 256 → 10 MLP, {r.Epochs} epochs, test on {r.TestImages:N0})\n");
        md.AppendLine("| training | test accuracy |");
        md.AppendLine("|---|---|");
        md.AppendLine($"| no augmentation | {F(r.PlainTestAccuracy, "P2")} |");
        md.AppendLine($"| Digits() preset (shift ±2 px, rotate ±10°, scale ±10%) | {F(r.DigitsTestAccuracy, "P2")} |");
        md.AppendLine($"| RandAugment, best (N, M) = ({r.Trials[0].N}, {r.Trials[0].M}) from the search | {F(r.BestTestAccuracy, "P2")} |");
        md.AppendLine($"\nRandAugment search (validation accuracy; no augmentation: {F(r.PlainValidationAccuracy, "P2")}):\n");
        md.AppendLine("| N | M | validation accuracy |");
        md.AppendLine("|---|---|---|");
        foreach (var t in r.Trials) md.AppendLine($"| {t.N} | {t.M} | {F(t.ValidationAccuracy, "P2")} |");
        return md.ToString();
    }

    /// <summary>The 5.8 table.</summary>
    public static string Dropout(DropoutResult r)
    {
        var md = new StringBuilder();
        md.AppendLine($"### 5.8 dropout on {r.TrainImages:N0} MNIST images (784 → 512 → 512 → 10 ReLU, Adam lr 10⁻³, batches of 50, {r.Epochs} epochs, test on {r.TestImages:N0})\n");
        md.AppendLine("| model | train accuracy | test accuracy | gap (train − test) | test error | test loss |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var run in r.Runs)
            md.AppendLine($"| {run.Name} | {F(run.TrainAccuracy, "P2")} | {F(run.TestAccuracy, "P2")} | {F(run.Gap * 100, "F2")} pts | {F(1 - run.TestAccuracy, "P2")} | {F(run.TestLoss, "F4")} |");
        double difference = Math.Abs(r.Runs[1].TestAccuracy - r.Runs[2].TestAccuracy);
        md.AppendLine($"\nInverted vs weight scaling: |Δ test accuracy| = {F(difference * 100, "F2")} pts; tolerance 3·√(2p(1−p)/n) = {F(r.ModeTolerance * 100, "F2")} pts.");
        return md.ToString();
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using Experiments.Models;
using static TorchSharp.torch;

namespace Experiments;

/// <summary>What training did to one init's hidden weight matrices.</summary>
/// <param name="Init">Init name.</param>
/// <param name="RankRatio">σ₂/σ₁ of each hidden weight matrix after training: 0 means rank 1.</param>
/// <param name="RowSpread">Largest |W[i, j] − W[0, j]| of each hidden weight matrix: how far units drifted apart.</param>
/// <param name="MaxHiddenGradient">Largest |∂L/∂W| over the hidden (non-output) weight matrices at the last step.</param>
/// <param name="FirstLoss">Loss before the first step.</param>
/// <param name="LastLoss">Loss at the last step.</param>
public sealed record SymmetryRun(string Init, double[] RankRatio, double[] RowSpread, double MaxHiddenGradient, double FirstLoss, double LastLoss);

/// <summary>The three inits side by side.</summary>
/// <param name="Steps">SGD steps taken.</param>
/// <param name="Constant">Every weight 0.1.</param>
/// <param name="Zeros">Every weight and bias 0.</param>
/// <param name="Random">TorchSharp's default random init (the control).</param>
public sealed record SymmetryResult(int Steps, SymmetryRun Constant, SymmetryRun Zeros, SymmetryRun Random);

/// <summary>
/// 5.1.1: a constant init gives every hidden unit of a layer the same gradient, so the units never become different:
/// the weight matrix stays rank 1 however long SGD runs. With all zeros, the gradient reaching the earlier layers is
/// exactly zero (every path to the loss goes through a zero weight), so only the output bias learns.
/// </summary>
public static class SymmetryExperiment
{
    private const long Seed = 5_1_1;

    /// <summary>Trains each model with plain SGD on the same random 3-class data (quick: 10 steps; full: 200).</summary>
    public static SymmetryResult Run(ExperimentSize size)
    {
        int steps = size == ExperimentSize.Full ? 200 : 10;
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)Seed);
        Tensor x = randn(128, 8, generator: generator);
        Tensor y = randint(0, 3, 128, generator: generator);
        return new SymmetryResult(
            steps,
            Train("Constant 0.1", new ConstantMlp(Seed), x, y, steps),
            Train("Zeros", new ZerosMlp(Seed), x, y, steps),
            Train("Random (default)", new RandomMlp(Seed), x, y, steps));
    }

    private static SymmetryRun Train(string init, nn.Module<Tensor, Tensor> model, Tensor x, Tensor y, int steps)
    {
        using var disposeModel = model;
        var optimizer = optim.SGD(model.parameters(), learningRate: 0.5);
        // Every weight matrix but the last (the output layer's): the hidden layers, in order.
        var weights = model.named_parameters().Where(p => p.name.EndsWith(".weight", StringComparison.Ordinal)).Select(p => p.parameter).ToList();
        var hidden = weights.Take(weights.Count - 1).ToList();
        double firstLoss = double.NaN, lastLoss = double.NaN, maxHiddenGradient = 0;
        for (int step = 0; step < steps; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            Tensor loss = nn.functional.cross_entropy(model.forward(x), y);
            loss.backward();
            maxHiddenGradient = hidden.Max(w => w.grad!.abs().max().item<float>());
            optimizer.step();
            lastLoss = loss.item<float>();
            if (step == 0) firstLoss = lastLoss;
        }
        var rankRatio = new List<double>();
        var rowSpread = new List<double>();
        using (no_grad())
        {
            foreach (Tensor w in hidden)
            {
                using var measureScope = NewDisposeScope();
                Tensor s = linalg.svdvals(w.to_type(ScalarType.Float64));
                double s1 = s[0].item<double>();
                rankRatio.Add(s1 == 0 ? 0 : s[1].item<double>() / s1);
                rowSpread.Add((w - w[0]).abs().max().item<float>());
            }
        }
        return new SymmetryRun(init, rankRatio.ToArray(), rowSpread.ToArray(), maxHiddenGradient, firstLoss, lastLoss);
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using Experiments.Models;
using ModelDsl;
using static TorchSharp.torch;

namespace Experiments;

/// <summary>L1 against L2 on a sparse regression.</summary>
/// <param name="TrueWeights">The generating weights (5 non-zero of 50).</param>
/// <param name="L1Weights">Weights learned with [WeightDecay(L1 = λ1)].</param>
/// <param name="L2Weights">Weights learned with [WeightDecay(L2 = λ2)].</param>
/// <param name="L1SmallFraction">Fraction of the L1 model's weights with |w| &lt; 10⁻³.</param>
/// <param name="L2SmallFraction">The same for the L2 model.</param>
/// <param name="L1NullSmallFraction">Fraction of the 45 null features' L1 weights with |w| &lt; 10⁻³.</param>
/// <param name="L2NullSmallFraction">The same for L2.</param>
public sealed record SparseResult(double[] TrueWeights, double[] L1Weights, double[] L2Weights, double L1SmallFraction, double L2SmallFraction, double L1NullSmallFraction, double L2NullSmallFraction);

/// <summary>One run of the per-group comparison: the Frobenius norm of each group's weights after training.</summary>
/// <param name="Name">Which group was decayed.</param>
/// <param name="HiddenNorm">‖W‖ over the two hidden layers' weights.</param>
/// <param name="OutputNorm">‖W‖ of the output layer's weight.</param>
/// <param name="TrainLoss">MSE on the training data.</param>
public sealed record GroupRun(string Name, double HiddenNorm, double OutputNorm, double TrainLoss);

/// <summary>Both halves of 5.4.</summary>
/// <param name="Sparse">L1 vs L2.</param>
/// <param name="Groups">No decay, decay on the hidden group, decay on the output group.</param>
/// <param name="PenaltyGradientOutsideGroup">Largest |∂Penalty/∂θ| over parameters outside the decayed group (exactly 0 expected).</param>
public sealed record WeightDecayResult(SparseResult Sparse, IReadOnlyList<GroupRun> Groups, double PenaltyGradientOutsideGroup);

/// <summary>
/// 5.4: (1) an L1 penalty (Laplace prior, 5.4.3) drives the weights of irrelevant features to zero, an L2 penalty
/// (Gaussian prior, 5.4.2) only shrinks them; (2) a <c>[WeightDecay("group", …)]</c> penalty acts on its group's
/// parameters only. Both models declare their decay in the DSL and train on data loss + <c>Penalty()</c>.
/// </summary>
public static class WeightDecayExperiment
{
    /// <summary>|w| below this counts as zero.</summary>
    public const double ZeroThreshold = 1e-3;

    /// <summary>Features that carry signal (the first ones).</summary>
    public const int Relevant = 5;

    private const long Seed = 5_4;

    /// <summary>Quick: fewer steps; the data are the same size (the regression is tiny either way).</summary>
    public static WeightDecayResult Run(ExperimentSize size)
    {
        bool full = size == ExperimentSize.Full;
        var sparse = Sparse(full ? 5000 : 2500);
        var (groups, outside) = Groups(full ? 3000 : 800);
        return new WeightDecayResult(sparse, groups, outside);
    }

    private static SparseResult Sparse(int steps)
    {
        const int n = 200, d = RegularizationSetup.SparseFeatures;
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)Seed);
        var trueW = zeros(d, 1);
        trueW.narrow(0, 0, Relevant).copy_(tensor(new[] { 2.0f, -3.0f, 1.5f, 1.0f, -2.0f }).unsqueeze(1));
        Tensor x = randn(n, d, generator: generator);
        Tensor y = x.matmul(trueW) + 0.1 * randn(n, 1, generator: generator);

        using var l1 = new SparseL1Model(Seed);
        using var l2 = new SparseL2Model(Seed);
        double[] w1 = Fit(l1, l1, x, y, steps), w2 = Fit(l2, l2, x, y, steps);
        double[] truth = trueW.squeeze(1).data<float>().Select(v => (double)v).ToArray();
        return new SparseResult(truth, w1, w2, Small(w1, 0), Small(w2, 0), Small(w1, Relevant), Small(w2, Relevant));
    }

    // Plain full-batch (sub)gradient descent on MSE + Penalty(). A weight whose data gradient stays below λ1 oscillates
    // around 0 with amplitude ≤ lr·(λ1 + |g|) < 2·lr·λ1 = 5·10⁻⁴, below the 10⁻³ threshold.
    private static double[] Fit(nn.Module<Tensor, Tensor> model, IRegularizedModel regularized, Tensor x, Tensor y, int steps)
    {
        var optimizer = optim.SGD(model.parameters(), learningRate: 0.005);
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            Tensor loss = nn.functional.mse_loss(model.forward(x), y) + regularized.Penalty();
            loss.backward();
            optimizer.step();
        }
        return model.parameters().First().detach().flatten().data<float>().Select(v => (double)v).ToArray();
    }

    private static double Small(double[] w, int skip) => w.Skip(skip).Count(v => Math.Abs(v) < ZeroThreshold) / (double)(w.Length - skip);

    private static (IReadOnlyList<GroupRun> Runs, double Outside) Groups(int steps)
    {
        using var scope = NewDisposeScope();
        var (x, y) = SyntheticData.Sine(128, noise: 0.1, Seed);
        var runs = new List<GroupRun>();
        using (var control = new GroupControlRegressor(Seed)) runs.Add(FitGroups("no decay", control, null, x, y, steps));
        using (var hidden = new HiddenDecayRegressor(Seed)) runs.Add(FitGroups("L2 on hidden", hidden, hidden, x, y, steps));
        double outside;
        using (var output = new OutputDecayRegressor(Seed))
        {
            runs.Add(FitGroups("L2 on output", output, output, x, y, steps));
            outside = PenaltyGradientOutside(output, "output");
        }
        return (runs, outside);
    }

    private static GroupRun FitGroups(string name, nn.Module<Tensor, Tensor> model, IRegularizedModel? regularized, Tensor x, Tensor y, int steps)
    {
        var optimizer = optim.Adam(model.parameters(), lr: 0.01);
        model.train();
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            Tensor loss = nn.functional.mse_loss(model.forward(x), y);
            if (regularized is not null) loss = loss + regularized.Penalty();
            loss.backward();
            optimizer.step();
        }
        model.eval();
        var weights = RegressionTraining.Weights(model);
        return new GroupRun(name, Norm(weights.Take(2)), Norm(weights.Skip(2)), RegressionTraining.Loss(model, x, y));
    }

    private static double Norm(IEnumerable<Tensor> weights)
    {
        using var scope = NewDisposeScope();
        return Math.Sqrt(weights.Sum(w => w.detach().square().sum().item<float>()));
    }

    // The penalty of a model with one decayed group, differentiated: every parameter outside that group must get 0.
    private static double PenaltyGradientOutside(nn.Module<Tensor, Tensor> model, string group)
    {
        using var scope = NewDisposeScope();
        var inGroup = ((IWeightDecayModel)model).ParameterGroups().Where(g => g.Name == group).SelectMany(g => g.Parameters).Select(p => p.Handle).ToHashSet();
        foreach (var p in model.parameters()) p.grad?.zero_();
        ((IRegularizedModel)model).Penalty().backward();
        double largest = 0;
        foreach (var p in model.parameters())
            if (!inGroup.Contains(p.Handle) && p.grad is not null) largest = Math.Max(largest, p.grad.abs().max().item<float>());
        return largest;
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using Experiments.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Experiments;

/// <summary>One (init, activation) cell: the activations of each of the ten layers.</summary>
/// <param name="Init">Init name as in the docs.</param>
/// <param name="Activation">Activation name.</param>
/// <param name="LayerStd">Standard deviation of the activations of layer 1…10 (over samples and units).</param>
/// <param name="LayerSaturated">Fraction saturated per layer: |a| &gt; 0.99 for tanh, a &lt; 0.01 or a &gt; 0.99 for sigmoid, a = 0 for ReLU.</param>
/// <param name="LayerSamples">Up to 20,000 activations per layer, for the histograms.</param>
public sealed record InitCell(string Init, string Activation, double[] LayerStd, double[] LayerSaturated, float[][] LayerSamples);

/// <summary>The grid of cells.</summary>
/// <param name="Width">Units per layer.</param>
/// <param name="Samples">Inputs drawn from N(0, I).</param>
/// <param name="Cells">The measured cells.</param>
public sealed record InitResult(int Width, int Samples, IReadOnlyList<InitCell> Cells)
{
    /// <summary>The cell for an init and activation.</summary>
    public InitCell Cell(string init, string activation) =>
        Cells.Single(c => c.Init == init && c.Activation == activation);
}

/// <summary>
/// 5.1: how the init scale decides whether activations survive ten layers (Glorot &amp; Bengio 2010, fig. 3/6;
/// He et al. 2015, §2.2). Each cell pushes N(0, I) inputs through a 10-layer, 1,000-wide DSL model and records the
/// activations after every layer.
/// </summary>
public static class InitExperiment
{
    /// <summary>Inits in grid order.</summary>
    public static readonly string[] Inits = { "Zeros", "Constant 0.1", "N(0, 0.01²)", "N(0, 1)", "Xavier", "He" };

    /// <summary>Activations in grid order.</summary>
    public static readonly string[] Activations = { "Tanh", "Sigmoid", "ReLU" };

    private const long Seed = 5_1;

    /// <summary>The cells the quick run measures: the ones its claims are about.</summary>
    private static readonly (string Init, string Activation)[] QuickCells =
    {
        ("N(0, 0.01²)", "Tanh"), ("N(0, 1)", "Tanh"), ("Xavier", "Tanh"), ("He", "ReLU"), ("Xavier", "ReLU"),
    };

    /// <summary>Runs the grid (all 18 cells on 1,000 samples; quick: the five asserted cells on 200 samples).</summary>
    public static InitResult Run(ExperimentSize size)
    {
        int samples = size == ExperimentSize.Full ? 1000 : 200;
        IEnumerable<(string Init, string Activation)> cells = size == ExperimentSize.Full
            ? Inits.SelectMany(i => Activations.Select(a => (i, a)))
            : QuickCells;
        var result = new List<InitCell>();
        foreach (var (init, activation) in cells)
        {
            using var scope = NewDisposeScope();
            using var model = Create(init, activation, Seed);
            using var input = randn(samples, InitNets.Width, generator: new Generator((ulong)(Seed + 1)));
            result.Add(Measure(init, activation, model, input));
        }
        return new InitResult(InitNets.Width, samples, result);
    }

    private static InitCell Measure(string init, string activation, nn.Module<Tensor, Tensor> model, Tensor input)
    {
        using var noGrad = no_grad();
        var std = new List<double>();
        var saturated = new List<double>();
        var histogramSamples = new List<float[]>();
        Tensor x = input;
        // The generated forward runs its registered children in order; walking them gives every layer's output.
        foreach (var (_, child) in model.named_children())
        {
            x = ((nn.Module<Tensor, Tensor>)child).forward(x);
            if (child is Linear) continue;
            std.Add(x.std().item<float>());
            Tensor flags = activation switch
            {
                "Tanh" => x.abs() > 0.99,
                "Sigmoid" => (x < 0.01).logical_or(x > 0.99),
                _ => x == 0,
            };
            saturated.Add(flags.to_type(ScalarType.Float64).mean().item<double>());
            Tensor flat = x.flatten();
            histogramSamples.Add(flat[..(int)Math.Min(flat.numel(), 20_000)].data<float>().ToArray());
        }
        return new InitCell(init, activation, std.ToArray(), saturated.ToArray(), histogramSamples.ToArray());
    }

    /// <summary>
    /// The mean-field prediction for Xavier (gain 1, fan_in = fan_out) + tanh: pre-activations have variance q_l, so
    /// q_1 = 1 (unit inputs) and q_{l+1} = E[tanh²(√q_l·z)], z ~ N(0, 1) (Poole et al. 2016). The activations' std at
    /// layer l is √E[tanh²(√q_l·z)] (their mean is 0). Since tanh²(x) ≈ x² − 2x⁴/3, q falls like 1/(2l): slowly, not
    /// geometrically. The integral is a trapezoid rule on z ∈ [−10, 10] with 4,001 points (error far below 10⁻⁶).
    /// </summary>
    public static double[] MeanFieldTanhStd(int layers)
    {
        var std = new double[layers];
        double q = 1;
        for (int l = 0; l < layers; l++)
        {
            double sum = 0, h = 20.0 / 4000;
            for (int i = 0; i <= 4000; i++)
            {
                double z = -10 + i * h, t = Math.Tanh(Math.Sqrt(q) * z);
                sum += (i == 0 || i == 4000 ? 0.5 : 1) * t * t * Math.Exp(-z * z / 2);
            }
            q = sum * h / Math.Sqrt(2 * Math.PI);
            std[l] = Math.Sqrt(q);
        }
        return std;
    }

    /// <summary>The DSL model of a cell, built with a fixed seed.</summary>
    public static nn.Module<Tensor, Tensor> Create(string init, string activation, long seed) => (init, activation) switch
    {
        ("Zeros", "Tanh") => new ZerosTanhNet(seed),
        ("Zeros", "Sigmoid") => new ZerosSigmoidNet(seed),
        ("Zeros", "ReLU") => new ZerosReLUNet(seed),
        ("Constant 0.1", "Tanh") => new ConstantTanhNet(seed),
        ("Constant 0.1", "Sigmoid") => new ConstantSigmoidNet(seed),
        ("Constant 0.1", "ReLU") => new ConstantReLUNet(seed),
        ("N(0, 0.01²)", "Tanh") => new SmallNormalTanhNet(seed),
        ("N(0, 0.01²)", "Sigmoid") => new SmallNormalSigmoidNet(seed),
        ("N(0, 0.01²)", "ReLU") => new SmallNormalReLUNet(seed),
        ("N(0, 1)", "Tanh") => new UnitNormalTanhNet(seed),
        ("N(0, 1)", "Sigmoid") => new UnitNormalSigmoidNet(seed),
        ("N(0, 1)", "ReLU") => new UnitNormalReLUNet(seed),
        ("Xavier", "Tanh") => new XavierTanhNet(seed),
        ("Xavier", "Sigmoid") => new XavierSigmoidNet(seed),
        ("Xavier", "ReLU") => new XavierReLUNet(seed),
        ("He", "Tanh") => new HeTanhNet(seed),
        ("He", "Sigmoid") => new HeSigmoidNet(seed),
        ("He", "ReLU") => new HeReLUNet(seed),
        _ => throw new ArgumentException($"No init cell ({init}, {activation}); inits: {string.Join(", ", Inits)}; activations: {string.Join(", ", Activations)}."),
    };
}

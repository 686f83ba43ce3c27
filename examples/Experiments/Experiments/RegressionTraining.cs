using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace Experiments;

/// <summary>The full-batch Adam loop the regression experiments share, with optional hand-written weight noise.</summary>
public static class RegressionTraining
{
    /// <summary>
    /// Trains <paramref name="model"/> on MSE with full-batch Adam. With <paramref name="weightNoiseStd"/> &gt; 0, every step
    /// adds fresh N(0, std²) noise to each weight matrix, takes the gradient at the noisy point, removes the noise and
    /// steps (5.9's weight noise). Written by hand until the DSL's <c>WeightNoise</c> layer option lands (issue 4); the
    /// lead will switch this to <c>Dense(…, WeightNoise = std)</c>.
    /// </summary>
    public static void Train(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y, int steps, double learningRate, double weightNoiseStd, long seed)
    {
        var optimizer = optim.Adam(model.parameters(), lr: learningRate);
        var weights = Weights(model);
        var generator = new Generator((ulong)seed);
        model.train();
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var noise = new List<Tensor>();
            if (weightNoiseStd > 0)
            {
                using var noGrad = no_grad();
                foreach (Tensor w in weights)
                {
                    Tensor e = randn(w.shape, generator: generator) * weightNoiseStd;
                    w.add_(e);
                    noise.Add(e);
                }
            }
            optimizer.zero_grad();
            Tensor loss = nn.functional.mse_loss(model.forward(x), y);
            loss.backward();
            if (weightNoiseStd > 0)
            {
                using var noGrad = no_grad();
                for (int i = 0; i < weights.Count; i++) weights[i].sub_(noise[i]);
            }
            optimizer.step();
        }
        model.eval();
    }

    /// <summary>The weight matrices of a model (not biases): what weight noise perturbs.</summary>
    public static IReadOnlyList<Tensor> Weights(nn.Module<Tensor, Tensor> model) =>
        model.named_parameters().Where(p => p.name.EndsWith(".weight", StringComparison.Ordinal)).Select(p => (Tensor)p.parameter).ToList();

    /// <summary>MSE of the model on (x, y), without gradients.</summary>
    public static double Loss(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return nn.functional.mse_loss(model.forward(x), y).item<float>();
    }
}

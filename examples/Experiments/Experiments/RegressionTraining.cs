using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace Experiments;

/// <summary>The full-batch Adam loop the regression experiments share.</summary>
public static class RegressionTraining
{
    /// <summary>
    /// Trains <paramref name="model"/> on MSE with full-batch Adam. Weight noise (5.9), when the model wants it, is declared
    /// in the DSL (<c>Dense(…, WeightNoise = std)</c>, a NoisyLinear layer that perturbs its weight on every training
    /// forward pass); <paramref name="seed"/> seeds TorchSharp's global generator, which that noise draws from.
    /// </summary>
    public static void Train(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y, int steps, double learningRate, long seed)
    {
        var optimizer = optim.Adam(model.parameters(), lr: learningRate);
        manual_seed(seed);
        model.train();
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            Tensor loss = nn.functional.mse_loss(model.forward(x), y);
            loss.backward();
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

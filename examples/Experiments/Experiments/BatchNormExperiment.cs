using System;
using System.Collections.Generic;
using Experiments.Models;
using static TorchSharp.torch;

namespace Experiments;

/// <summary>One training run's learning curve.</summary>
/// <param name="Name">Model and learning rate.</param>
/// <param name="LearningRate">SGD learning rate.</param>
/// <param name="TrainLoss">Mean training loss per epoch (NaN once it diverged).</param>
/// <param name="TestAccuracy">Test accuracy after each epoch (eval mode).</param>
public sealed record LearningCurve(string Name, double LearningRate, double[] TrainLoss, double[] TestAccuracy)
{
    /// <summary>Test accuracy after the last epoch.</summary>
    public double FinalAccuracy => TestAccuracy[^1];
}

/// <summary>The runs and the batch-norm model's eval comparison.</summary>
/// <param name="Curves">Plain at a small rate, plain at the high rate, batch norm at the high rate.</param>
/// <param name="RunningStatsAccuracy">BN model, eval mode (running averages), whole test set.</param>
/// <param name="BatchStatsAccuracy">BN model, training-mode statistics of the whole test set as one batch.</param>
/// <param name="SmallBatchStatsAccuracy">BN model, training-mode statistics of test batches of 4.</param>
public sealed record BatchNormResult(IReadOnlyList<LearningCurve> Curves, double RunningStatsAccuracy, double BatchStatsAccuracy, double SmallBatchStatsAccuracy);

/// <summary>
/// 5.3: batch norm lets the same deep ReLU network train at a learning rate where the plain one does not
/// (Ioffe &amp; Szegedy 2015, §3.3 and §4.2: BN allows much higher rates). Both are trained with plain minibatch SGD
/// on a synthetic 4-class problem; the plain model is also trained at a small rate, to show it can learn the task.
/// </summary>
public static class BatchNormExperiment
{
    /// <summary>The high rate: plain SGD on the plain model diverges here.</summary>
    public const double HighRate = 1.0;

    /// <summary>A rate at which the plain model trains.</summary>
    public const double LowRate = 0.05;

    private const long Seed = 5_3;

    /// <summary>Quick: 2,000 training samples, 3 epochs; full: 8,000 samples, 20 epochs. Batches of 64.</summary>
    public static BatchNormResult Run(ExperimentSize size)
    {
        int n = size == ExperimentSize.Full ? 8000 : 2000;
        int epochs = size == ExperimentSize.Full ? 20 : 3;
        using var scope = NewDisposeScope();
        var (xTrain, yTrain) = SyntheticData.TeacherClassification(n, Seed);
        var (xTest, yTest) = SyntheticData.TeacherClassification(2000, Seed + 1);

        var curves = new List<LearningCurve>();
        using (var plainLow = new PlainDeepMlp(Seed))
            curves.Add(Train($"plain, lr {LowRate}", plainLow, LowRate, xTrain, yTrain, xTest, yTest, epochs));
        using (var plainHigh = new PlainDeepMlp(Seed))
            curves.Add(Train($"plain, lr {HighRate}", plainHigh, HighRate, xTrain, yTrain, xTest, yTest, epochs));
        using var batchNorm = new BatchNormDeepMlp(Seed);
        curves.Add(Train($"batch norm, lr {HighRate}", batchNorm, HighRate, xTrain, yTrain, xTest, yTest, epochs));

        double running = Accuracy(batchNorm, xTest, yTest, batchSize: (int)xTest.shape[0], training: false);
        // Training mode normalizes with the batch's own statistics (and updates the running averages, which is harmless
        // here: nothing is evaluated after these two measurements).
        double wholeBatch = Accuracy(batchNorm, xTest, yTest, batchSize: (int)xTest.shape[0], training: true);
        double smallBatches = Accuracy(batchNorm, xTest, yTest, batchSize: 4, training: true);
        return new BatchNormResult(curves, running, wholeBatch, smallBatches);
    }

    private static LearningCurve Train(string name, nn.Module<Tensor, Tensor> model, double rate, Tensor x, Tensor y, Tensor xTest, Tensor yTest, int epochs)
    {
        var optimizer = optim.SGD(model.parameters(), learningRate: rate);
        var losses = new double[epochs];
        var accuracies = new double[epochs];
        long n = x.shape[0];
        const int batch = 64;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            model.train();
            Tensor order = randperm(n, generator: new Generator((ulong)(Seed + epoch)));
            double sum = 0;
            int batches = 0;
            for (long start = 0; start + batch <= n; start += batch)
            {
                using var stepScope = NewDisposeScope();
                Tensor index = order.narrow(0, start, batch);
                optimizer.zero_grad();
                Tensor loss = nn.functional.cross_entropy(model.forward(x.index_select(0, index)), y.index_select(0, index));
                loss.backward();
                optimizer.step();
                sum += loss.item<float>();
                batches++;
            }
            losses[epoch] = sum / batches;
            accuracies[epoch] = Accuracy(model, xTest, yTest, batchSize: (int)xTest.shape[0], training: false);
        }
        return new LearningCurve(name, rate, losses, accuracies);
    }

    /// <summary>Accuracy over <paramref name="x"/> in batches, in eval or training mode, without gradients.</summary>
    private static double Accuracy(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y, int batchSize, bool training)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.train(training);
        long correct = 0, n = x.shape[0];
        for (long start = 0; start < n; start += batchSize)
        {
            long end = Math.Min(n, start + batchSize);
            Tensor predicted = model.forward(x.narrow(0, start, end - start)).argmax(1);
            correct += (predicted == y.narrow(0, start, end - start)).sum().item<long>();
        }
        model.eval();
        return (double)correct / n;
    }
}

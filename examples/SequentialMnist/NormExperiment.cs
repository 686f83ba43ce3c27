using System.Diagnostics;
using System.IO;
using ModelDsl;
using ModelDsl.Data;
using ModelDsl.Training;

namespace SequentialMnist;

/// <summary>Two stacked LSTMs with a layer norm between them: per sample and step, over the 64 features of the step.</summary>
[Model(28, 28)]
[LSTM(64, ReturnSequences = true), LayerNorm]
[LSTM(64)]
[Dense(10)]
public partial class LayerNormedLstm { }

/// <summary>The same with a batch norm: per feature, over the batch and the 28 steps (MD0066: the chapter advises against it).</summary>
#pragma warning disable MD0066
[Model(28, 28)]
[LSTM(64, ReturnSequences = true), BatchNorm]
[LSTM(64)]
[Dense(10)]
public partial class BatchNormedLstm { }
#pragma warning restore MD0066

/// <summary>The same without a norm between the LSTMs, for reference.</summary>
[Model(28, 28)]
[LSTM(64, ReturnSequences = true)]
[LSTM(64)]
[Dense(10)]
public partial class UnnormedLstm { }

/// <summary>
/// Chapter 5.3.3: batch normalization's statistics over the batch (and, on a sequence, over its time steps) make it a
/// poor fit for recurrent models, which layer normalization was made for (Ba et al. 2016). This trains the three stacked
/// LSTMs above for the first epochs, same seed and data order, printing validation accuracy every 100 steps (checked in
/// eval mode, where batch norm uses its running statistics) and each model's test accuracy.
/// </summary>
public static class NormExperiment
{
    public static void Run(int epochs, TextWriter log)
    {
        using var mnist = MnistSplits.Load(validation: 5_000, 28, 28);
        var clock = Stopwatch.StartNew();
        var (layer, layerTest) = EarlyEpochs.Train(new LayerNormedLstm(seed: 42), mnist, epochs);
        var (batch, batchTest) = EarlyEpochs.Train(new BatchNormedLstm(seed: 42), mnist, epochs);
        var (none, noneTest) = EarlyEpochs.Train(new UnnormedLstm(seed: 42), mnist, epochs);
        EarlyEpochs.WriteTable(log, new[] { ("LayerNorm", layer), ("BatchNorm", batch), ("no norm", none) });
        log.WriteLine();
        log.WriteLine($"test accuracy after {epochs} epochs: LayerNorm {layerTest:P2}, BatchNorm {batchTest:P2}, no norm {noneTest:P2} ({clock.Elapsed.TotalSeconds:0} s in all)");
    }
}

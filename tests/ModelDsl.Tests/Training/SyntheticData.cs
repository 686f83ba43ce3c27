using ModelDsl.Data;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Training;

/// <summary>Seeded synthetic classification data.</summary>
internal static class SyntheticData
{
    /// <summary>
    /// <paramref name="classes"/> Gaussian clusters in <paramref name="features"/> dimensions: centres N(0, separation²)
    /// drawn from <paramref name="taskSeed"/> (so train and validation share them), unit-variance samples drawn from
    /// <paramref name="sampleSeed"/>. A small separation makes the clusters overlap, so a big net overfits.
    /// </summary>
    public static LabeledData Clusters(int n, int features, int classes, long taskSeed, long sampleSeed, double separation = 3)
    {
        using var scope = NewDisposeScope();
        using var task = new Generator((ulong)taskSeed);
        using var sample = new Generator((ulong)sampleSeed);
        Tensor centres = randn(new long[] { classes, features }, generator: task) * separation;
        Tensor labels = randint(0, classes, new long[] { n }, generator: sample);
        Tensor inputs = centres.index_select(0, labels) + randn(new long[] { n, features }, generator: sample);
        return new LabeledData(inputs, labels);
    }
}

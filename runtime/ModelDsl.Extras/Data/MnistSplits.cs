using System;

namespace ModelDsl.Data;

/// <summary>
/// MNIST as training, validation and test sets: the last <c>validation</c> images of the 60,000 training images are
/// held out, so early stopping never looks at the test set. Owns the three sets.
/// </summary>
public sealed class MnistSplits : IDisposable
{
    private MnistSplits(LabeledData train, LabeledData validation, LabeledData test)
    {
        Train = train;
        Validation = validation;
        Test = test;
    }

    /// <summary>The first 60,000 − validation training images.</summary>
    public LabeledData Train { get; }

    /// <summary>The last training images, for early stopping and model choice.</summary>
    public LabeledData Validation { get; }

    /// <summary>The 10,000 test images.</summary>
    public LabeledData Test { get; }

    /// <summary>
    /// Loads the usual 55k / 5k / 10k split (<paramref name="validation"/> = 5,000); <paramref name="sampleShape"/>
    /// reshapes each image (784 for an MLP), or keeps [1, 28, 28] when omitted.
    /// </summary>
    public static MnistSplits Load(int validation = 5_000, params long[] sampleShape)
    {
        using LabeledData all = Shape(MnistData.Load(train: true), sampleShape);
        long trainCount = all.Count - validation;
        return new MnistSplits(all.Slice(0, trainCount), all.Slice(trainCount, validation), Shape(MnistData.Load(train: false), sampleShape));
    }

    private static LabeledData Shape(LabeledData data, long[] sampleShape)
    {
        if (sampleShape.Length == 0) return data;
        using (data) return data.Reshape(sampleShape);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }
}

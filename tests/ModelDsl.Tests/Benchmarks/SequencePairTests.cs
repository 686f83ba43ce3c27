using ModelDsl.Benchmarks.Runtime;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Benchmarks;

/// <summary>
/// The sequence benchmark pairs time the same function: the generated SequentialMnist LSTM and VitMnist Transformer
/// equal their hand-written TorchSharp twins given the same weights (eval mode, where dropout is off), within 1e-5.
/// </summary>
public class SequencePairTests
{
    [Theory]
    [InlineData("lstm")]
    [InlineData("transformer")]
    public void Generated_and_hand_written_compute_the_same_function(string variant)
    {
        using OverheadPairs.Pair pair = OverheadPairs.Create(variant, seed: 42);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        pair.Subject.Model.eval();
        pair.Baseline.Model.eval();
        Tensor generated = pair.Subject.Model.forward(pair.Subject.Input);
        Tensor handWritten = pair.Baseline.Model.forward(pair.Subject.Input);
        Assert.Equal(new long[] { OverheadPairs.SequenceBatch, 10 }, generated.shape);
        Assert.True(generated.allclose(handWritten, rtol: 0, atol: 1e-5), $"{variant}: max difference {(generated - handWritten).abs().max().item<float>()}");
    }
}

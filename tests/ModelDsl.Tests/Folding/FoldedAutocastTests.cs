using System;
using ModelDsl.Tests.Weights;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Folding;

/// <summary>
/// Eval under a user's autocast scope, through the folded forward and the model's own, with oneDNN on and off: the paths
/// that run ModelDsl's blocked float32 convolution and pool kernels (which must step aside for bfloat16 images) stay
/// within the autocast sweep's bound of the float32 output. Switches oneDNN process-wide, so it runs alone.
/// </summary>
[Collection(nameof(GlobalGeneratorCollection))]
public sealed class FoldedAutocastTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_folded_and_the_own_eval_forward_run_under_autocast(bool oneDnn)
    {
        using var scope = NewDisposeScope();
        var model = new FoldMnistCnn(seed: 1);
        bool before = LibTorchBackends.OneDnnEnabled;
        LibTorchBackends.OneDnnEnabled = oneDnn;
        try
        {
            using var folded = model.Folded();
            Tensor x = randn(new long[] { 128, 1, 28, 28 }, generator: new Generator(2));   // batch 128: the blocked convolution's size
            using (model.Evaluating())
            {
                Tensor full = folded.forward(x);
                Tensor viaFolded, viaOwn;
                using (Autocast.Enable())
                {
                    viaFolded = folded.forward(x);
                    viaOwn = model.forward(x);
                }
                Assert.True(folded.LastCallFolded);
                foreach (Tensor reduced in new[] { viaFolded, viaOwn })
                {
                    Assert.Equal(ScalarType.BFloat16, reduced.dtype);
                    double off = (reduced.to(ScalarType.Float32) - full).abs().max().item<float>() / full.abs().max().item<float>();
                    Assert.True(off <= Math.Pow(2, -5), $"oneDNN {(oneDnn ? "on" : "off")}: off by {off:g3} of the output's scale");
                }
            }
        }
        finally
        {
            LibTorchBackends.OneDnnEnabled = before;
        }
    }
}

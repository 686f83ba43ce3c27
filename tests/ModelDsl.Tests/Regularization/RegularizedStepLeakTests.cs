using TorchSharp;
using ModelDsl.Tests.Models;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Regularization;

public class RegularizedStepLeakTests
{
    [Fact]
    public void A_training_step_with_penalty_noise_weight_noise_and_max_norm_leaves_no_live_tensors()
    {
        // TorchSharp's own leak check (TestDisposeScopesStatisticsTensor.cs): after a warm-up step (optimizer state),
        // the thread's live tensor count must stay flat across steps run inside NewDisposeScope.
        using var outer = NewDisposeScope();
        var model = new GroupedDecayModel(seed: 1);
        var constrained = new MaxNormModel(seed: 2);
        var noisy = new ModeModel(seed: 3);
        var optimizer = RegularizedOptimizer.AdamW(model, lr: 1e-3);
        var optimizer2 = RegularizedOptimizer.SGD(constrained, lr: 1e-2);
        var optimizer3 = RegularizedOptimizer.Adam(noisy, lr: 1e-3);
        Tensor x6 = randn(8, 6), x10 = randn(8, 10);

        void Step()
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            (model.forward(x6).square().mean() + model.Penalty()).backward();
            optimizer.step();
            optimizer2.zero_grad();
            constrained.forward(x10).square().mean().backward();
            optimizer2.step();
            MaxNorm.Apply(constrained);
            optimizer3.zero_grad();
            noisy.forward(x6).square().mean().backward();
            optimizer3.step();
        }

        Step();
        DisposeScopeManager.Statistics.Reset();
        for (int i = 0; i < 5; i++) Step();
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}

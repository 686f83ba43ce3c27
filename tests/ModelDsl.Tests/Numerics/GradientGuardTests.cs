using System;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Training;
using ModelDsl.Tests.Training;
using ModelDsl.Tests.Weights;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Numerics;

/// <summary>
/// A finite loss with a non-finite gradient, as a faulty native kernel produces it: the step is computed again without
/// oneDNN and taken if that is finite, otherwise skipped with the model as it was, and counted in the history. Where
/// oneDNN is already off (the numerics check turns it off on CPUs whose kernels compute wrong results) there is nothing
/// to recompute with, and the step is skipped. The tests set oneDNN as each needs it and seed the global generator, so
/// they run alone.
/// </summary>
[Collection(nameof(GlobalGeneratorCollection))]
public class GradientGuardTests
{
    /// <summary>Runs <paramref name="body"/> with oneDNN on or off and restores the process's setting.</summary>
    private static T WithOneDnn<T>(bool enabled, Func<T> body)
    {
        Assert.True(LibTorchBackends.IsSwitchable, "libtorch_cpu on Linux exports its context switches");
        NumericsGuard.EnsureChecked(); // the check a first Trainer runs may turn oneDNN off: run it before setting oneDNN here
        bool before = LibTorchBackends.OneDnnEnabled;
        LibTorchBackends.OneDnnEnabled = enabled;
        try { return body(); }
        finally { LibTorchBackends.OneDnnEnabled = before; }
    }

    /// <summary>
    /// Linear → BatchNorm, plus a term sqrt(p)·0 on the training-mode forward calls that <c>poisoned</c> picks (1-based): its
    /// value is 0, so the loss stays finite, but d/dp = 0·(1/(2√0)) = 0·∞ = NaN.
    /// </summary>
    private sealed class PoisonedGradient : nn.Module<Tensor, Tensor>
    {
        private readonly Linear linear = nn.Linear(8, 3);
        private readonly BatchNorm1d norm = nn.BatchNorm1d(3);
        private readonly Parameter p = new(zeros(1));
        private readonly Func<int, bool> poisoned;
        private int calls;

        public PoisonedGradient(Func<int, bool> poisoned) : base(nameof(PoisonedGradient))
        {
            this.poisoned = poisoned;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            Tensor output = norm.forward(linear.forward(input));
            return training && poisoned(++calls) ? output + p.sqrt() * 0 : output;
        }
    }

    private static (Trainer Trainer, PoisonedGradient Model) NewTrainer(Func<int, bool> poisoned, int maxSkipped = 5, int epochs = 1)
    {
        manual_seed(3);
        var model = new PoisonedGradient(poisoned);
        return (new Trainer(model, optim.SGD(model.parameters(), 0.1), new TrainerOptions { Epochs = epochs, BatchSize = 16, Seed = 1, MaxSkippedSteps = maxSkipped }), model);
    }

    [Fact]
    public void A_gradient_that_stays_non_finite_is_skipped_then_named_and_the_model_is_left_as_it_was()
    {
        using var train = SyntheticData.Clusters(64, 8, 3, taskSeed: 1, sampleSeed: 2);
        var (trainer, model) = NewTrainer(_ => true, maxSkipped: 2);
        var parameters = model.parameters().Select(t => t.detach().clone()).ToArray();
        var buffers = model.buffers().Select(t => t.detach().clone()).ToArray();

        var error = Assert.Throws<NonFiniteGradientException>(() => trainer.Fit(train));

        Assert.Equal("p", error.Parameter);
        Assert.Equal(3, error.Step);
        Assert.Equal(3, error.SkippedInARow);
        Assert.Contains("'p'", error.Message);
        Assert.Contains("epoch 1, step 3", error.Message);
        Assert.All(model.parameters().Zip(parameters), pair => Assert.True(pair.First.equal(pair.Second).all().item<bool>()));
        // BatchNorm's running statistics were updated by each forward pass and put back.
        Assert.All(model.buffers().Zip(buffers), pair => Assert.True(pair.First.equal(pair.Second).all().item<bool>()));
    }

    [Fact]
    public void A_gradient_that_is_non_finite_once_is_recomputed_without_oneDNN_and_the_step_is_taken()
    {
        using var train = SyntheticData.Clusters(64, 8, 3, taskSeed: 1, sampleSeed: 2);
        // Only the first forward call is poisoned: the recomputation of step 1 is finite.
        var (trainer, model) = NewTrainer(call => call == 1);

        var history = WithOneDnn(true, () =>
        {
            var fitted = trainer.Fit(train);
            Assert.True(LibTorchBackends.OneDnnEnabled); // switched back on after the recomputation
            return fitted;
        });

        Assert.Equal(1, history.Records[0]["recomputed_steps"]);
        Assert.False(history.Records[0].Values.ContainsKey("skipped_steps"));
        Assert.Equal(4, trainer.Step);
        Assert.All(model.parameters(), p => Assert.True(p.isfinite().all().item<bool>()));
    }

    [Fact]
    public void Skipped_steps_are_counted_in_the_history_at_the_next_check_and_training_goes_on()
    {
        using var train = SyntheticData.Clusters(64, 8, 3, taskSeed: 1, sampleSeed: 2);
        // Step 2 is poisoned in both its computations (forward calls 2 and 3); every other step is finite.
        var (trainer, model) = NewTrainer(call => call is 2 or 3, epochs: 2);

        var history = WithOneDnn(true, () => trainer.Fit(train));

        Assert.Equal(1, history.Records[0]["skipped_steps"]);
        Assert.False(history.Records[0].Values.ContainsKey("recomputed_steps"));
        Assert.False(history.Records[1].Values.ContainsKey("skipped_steps"));
        Assert.Equal(8, trainer.Step);
        Assert.All(model.parameters(), p => Assert.True(p.isfinite().all().item<bool>()));
    }

    [Fact]
    public void With_onednn_already_off_a_non_finite_gradient_is_skipped_without_a_recomputation()
    {
        using var train = SyntheticData.Clusters(64, 8, 3, taskSeed: 1, sampleSeed: 2);
        // Only the first forward call is poisoned; with oneDNN off there is no second computation of step 1.
        var (trainer, model) = NewTrainer(call => call == 1);

        var history = WithOneDnn(false, () => trainer.Fit(train));

        Assert.Equal(1, history.Records[0]["skipped_steps"]);
        Assert.False(history.Records[0].Values.ContainsKey("recomputed_steps"));
        Assert.Equal(4, trainer.Step);
        Assert.All(model.parameters(), p => Assert.True(p.isfinite().all().item<bool>()));
    }

    [Fact]
    public void Bagging_members_take_the_same_guarded_step()
    {
        using var train = SyntheticData.Clusters(64, 8, 3, taskSeed: 1, sampleSeed: 2);
        manual_seed(3);
        var members = new[] { new PoisonedGradient(_ => true), new PoisonedGradient(_ => true) };
        var before = members[0].parameters().Select(t => t.detach().clone()).ToArray();
        var options = new BaggingOptions { Epochs = 1, BatchSize = 16, Seed = 1, MaxSkippedSteps = 1 };

        var error = Assert.Throws<NonFiniteGradientException>(() => BaggingTrainer.Train(
            members, train.Inputs, train.Labels, (output, labels) => nn.functional.cross_entropy(output, labels), m => optim.SGD(m.parameters(), 0.1), options));

        Assert.Equal("p", error.Parameter);
        Assert.Equal(2, error.SkippedInARow);
        Assert.All(members[0].parameters().Zip(before), pair => Assert.True(pair.First.equal(pair.Second).all().item<bool>()));
    }

    [Fact]
    public void Finite_training_has_no_guard_columns_in_its_history()
    {
        using var train = SyntheticData.Clusters(64, 8, 3, taskSeed: 1, sampleSeed: 2);
        var (trainer, _) = NewTrainer(_ => false);
        var history = trainer.Fit(train);
        Assert.Equal(new[] { "loss", "accuracy" }, history.MetricNames);
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Tests.Models;
using ModelDsl.Tests.Training;
using ModelDsl.Training;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.FineTuning;

/// <summary>Freezing for fine-tuning: optimizers, penalties and the Trainer leave frozen parameters alone; gradual unfreezing; per-block rates.</summary>
public sealed class FineTuningTests
{
    private static nn.Module Block(nn.Module model, string name) => model.named_modules().Single(m => m.name == name).module;

    private static byte[] Bits(nn.Module module) => module.parameters().SelectMany(p => p.detach().contiguous().bytes.ToArray()).ToArray();

    private static HashSet<IntPtr> Handles(nn.Module module) => module.parameters().Select(p => p.Handle).ToHashSet();

    [Fact]
    public void Frozen_parameters_are_in_no_parameter_group_and_out_of_the_penalty()
    {
        using var model = new GroupedDecayModel(seed: 1);
        nn.Module dense1 = Block(model, "dense1").Freeze();
        var frozen = Handles(dense1);

        IReadOnlyList<ModelDsl.ParameterGroup> groups = model.ParameterGroups();

        Assert.DoesNotContain(groups, g => g.Name == "body"); // its only parameter, dense1.weight, is frozen
        Assert.DoesNotContain(groups.SelectMany(g => g.Parameters), p => frozen.Contains(p.Handle));
        Assert.Equal(model.parameters().Count(p => p.requires_grad), groups.Sum(g => g.Parameters.Count));
        // Only head remains: (0.2/2)·(‖dense2.weight‖² + ‖dense2.bias‖²).
        var state = model.state_dict();
        double head = 0.1 * (state["dense2.weight"].square().sum().item<float>() + state["dense2.bias"].square().sum().item<float>());
        Assert.Equal(head, model.Penalty().item<float>(), 5);
    }

    [Fact]
    public void A_models_groups_without_weight_decay_leave_frozen_parameters_out()
    {
        using var model = new TrainingClassifier(seed: 1);
        var frozen = Handles(model.modules().OfType<BatchNormalization>().Single().Freeze());

        var group = Assert.Single(RegularizedOptimizer.Groups(model));

        Assert.Equal(4, group.Parameters.Count); // dense1 and dense2, weight and bias
        Assert.DoesNotContain(group.Parameters, p => frozen.Contains(p.Handle));
    }

    [Fact]
    public void Parameters_frozen_after_training_stay_bit_identical_through_further_training()
    {
        using var train = SyntheticData.Clusters(64, 8, 3, taskSeed: 1, sampleSeed: 2);
        using var model = new TrainingClassifier(seed: 1);
        // AdamW with its default weight decay, built over every parameter: the first run leaves gradients and moments.
        var optimizer = optim.AdamW(model.parameters(), lr: 1e-2);
        new Trainer(model, optimizer, new TrainerOptions { Epochs = 1, BatchSize = 16, Seed = 1 }).Fit(train);
        nn.Module dense1 = Block(model, "dense1").Freeze();
        byte[] frozen = Bits(dense1);
        byte[] head = Bits(Block(model, "dense2"));

        new Trainer(model, optimizer, new TrainerOptions { Epochs = 2, BatchSize = 16, Seed = 2 }).Fit(train);

        Assert.Equal(frozen, Bits(dense1));
        Assert.NotEqual(head, Bits(Block(model, "dense2")));
    }

    [Fact]
    public void UnfreezeAt_trains_the_module_from_its_epoch_on_with_its_own_learning_rate()
    {
        using var train = SyntheticData.Clusters(64, 6, 3, taskSeed: 1, sampleSeed: 2);
        using var model = new GroupedDecayModel(seed: 1);
        nn.Module dense1 = Block(model, "dense1").Freeze();
        byte[] initial = Bits(dense1);
        var optimizer = RegularizedOptimizer.Adam(model, lr: 1e-2);
        Assert.DoesNotContain(optimizer.parameters(), p => Handles(dense1).Contains(p.Handle));
        var trainer = new Trainer(model, optimizer, new TrainerOptions { Epochs = 4, BatchSize = 16, Seed = 1 });
        var atCheck = new Recorder(dense1);
        var unfreeze = new UnfreezeAt(3, dense1, learningRate: 1e-3);
        trainer.Callbacks.Add(atCheck);
        trainer.Callbacks.Add(unfreeze);

        trainer.Fit(train);

        Assert.True(unfreeze.Done);
        Assert.True(dense1.parameters().All(p => p.requires_grad));
        Assert.Equal(initial, atCheck.Bits[0]);           // end of epoch 1
        Assert.Equal(initial, atCheck.Bits[1]);           // end of epoch 2: unfrozen here, not yet trained
        Assert.NotEqual(initial, atCheck.Bits[2]);        // end of epoch 3: trained
        // dense1.weight joined as a "body" group (weight decay 0.1) at 1e-3; dense1.bias as no-decay at 1e-3.
        var added = optimizer.ParamGroups.Cast<ParamGroup>().Where(g => g.Parameters.Any(p => Handles(dense1).Contains(p.Handle))).ToList();
        Assert.Equal(2, added.Count);
        Assert.All(added, g => Assert.Equal(1e-3, g.LearningRate));
        Assert.Contains(added, g => ((Adam.Options)g.Options).weight_decay == 0.1);
        Assert.Contains(added, g => ((Adam.Options)g.Options).weight_decay == 0);
    }

    /// <summary>
    /// A run checkpointed after UnfreezeAt acted resumes into a fresh model, optimizer (built while the module is frozen,
    /// so without its groups) and trainer exactly as the uninterrupted run goes on: same weights, bit for bit, and the
    /// added groups exist before the saved optimizer state is read.
    /// </summary>
    [Fact]
    public void A_checkpoint_saved_after_UnfreezeAt_acted_resumes_as_the_uninterrupted_run()
    {
        using var train = SyntheticData.Clusters(64, 6, 3, taskSeed: 1, sampleSeed: 2);
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"unfreeze-{Guid.NewGuid():N}.ckpt");
        (GroupedDecayModel Model, Trainer Trainer, UnfreezeAt Unfreeze) Run(int epochs, string? checkpoint)
        {
            var model = new GroupedDecayModel(seed: 1);
            nn.Module dense1 = Block(model, "dense1").Freeze();
            var trainer = new Trainer(model, RegularizedOptimizer.Adam(model, lr: 1e-2), new TrainerOptions { Epochs = epochs, BatchSize = 16, Seed = 1, CheckpointPath = checkpoint });
            var unfreeze = new UnfreezeAt(2, dense1, learningRate: 1e-3);
            trainer.Callbacks.Add(unfreeze);
            return (model, trainer, unfreeze);
        }
        try
        {
            var whole = Run(4, null);
            whole.Trainer.Fit(train);

            var first = Run(2, path); // unfreezes at the end of epoch 1, checkpoints after epoch 2
            first.Trainer.Fit(train);
            Assert.True(first.Unfreeze.Done);

            var resumed = Run(4, null);
            Assert.False(resumed.Unfreeze.Done);
            resumed.Trainer.LoadCheckpoint(path);
            Assert.True(resumed.Unfreeze.Done);
            Assert.True(Block(resumed.Model, "dense1").parameters().All(p => p.requires_grad));
            resumed.Trainer.Fit(train);

            Assert.Equal(Bits(whole.Model), Bits(resumed.Model));
            whole.Model.Dispose();
            first.Model.Dispose();
            resumed.Model.Dispose();
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Fact]
    public void Block_learning_rates_split_the_weight_decay_groups()
    {
        using var model = new GroupedDecayModel(seed: 1);
        nn.Module dense2 = Block(model, "dense2");
        var head = Handles(dense2);

        var optimizer = RegularizedOptimizer.AdamW(model, lr: 1e-2, blockRates: new Dictionary<nn.Module, double> { [dense2] = 1e-4 });

        var groups = optimizer.ParamGroups.Cast<ParamGroup>().ToList();
        Assert.Equal(model.parameters().Count(), groups.Sum(g => g.Parameters.Count()));
        foreach (var group in groups)
        {
            bool inHead = group.Parameters.All(p => head.Contains(p.Handle));
            Assert.True(inHead || group.Parameters.All(p => !head.Contains(p.Handle)), "a group mixes blocks");
            Assert.Equal(inHead ? 1e-4 : 1e-2, group.LearningRate);
        }
        Assert.Contains(groups, g => g.LearningRate == 1e-4 && ((AdamW.Options)g.Options).weight_decay == 0.2); // head keeps its decay
        Assert.Contains(groups, g => g.LearningRate == 1e-2 && ((AdamW.Options)g.Options).weight_decay == 0.1); // body
    }

    [Fact]
    public void A_block_with_learning_rate_zero_does_not_move_while_the_rest_trains()
    {
        using var train = SyntheticData.Clusters(64, 6, 3, taskSeed: 1, sampleSeed: 2);
        using var model = new GroupedDecayModel(seed: 1);
        nn.Module dense1 = Block(model, "dense1");
        byte[] before = Bits(dense1);
        byte[] head = Bits(Block(model, "dense2"));
        var optimizer = RegularizedOptimizer.SGD(model, lr: 0.1, blockRates: new Dictionary<nn.Module, double> { [dense1] = 0 });

        new Trainer(model, optimizer, new TrainerOptions { Epochs = 1, BatchSize = 16, Seed = 1, AddPenalty = false }).Fit(train);

        Assert.Equal(before, Bits(dense1));
        Assert.NotEqual(head, Bits(Block(model, "dense2")));
    }

    private sealed class Recorder(nn.Module module) : ITrainingCallback
    {
        public List<byte[]> Bits { get; } = new();

        public void OnCheck(Trainer trainer, HistoryRecord record) => Bits.Add(FineTuningTests.Bits(module));

        public void OnTrainEnd(Trainer trainer) { }
    }
}

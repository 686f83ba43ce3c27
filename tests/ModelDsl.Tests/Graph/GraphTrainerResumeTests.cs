using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.Augmentation;
using ModelDsl.Data;
using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Graph;

/// <summary>
/// The GraphTrainer's checkpoints (a resumed run equals the uninterrupted one bit for bit, early stopping included; another
/// model's checkpoint changes nothing) and its per-input augmentation (only the named input, training batches only, a
/// stream per input that repeats for a seed and differs across epochs).
/// </summary>
public sealed class GraphTrainerResumeTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("modeldsl-graph-ckpt-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Resuming_from_a_checkpoint_continues_bit_identically_with_early_stopping_and_augmentation()
    {
        using var train = GraphTrainerTests.TwoHeadsData(16, seed: 30);
        using var validation = GraphTrainerTests.TwoHeadsData(8, seed: 31);
        // 4 batches per epoch and a check every 3: the sums since the last check span the epoch boundary the checkpoint is written at.
        (GraphTrainer<TwoHeads.Outputs> Trainer, EarlyStopping Stopping) New(TwoHeads model, int epochs, string? checkpoint = null)
        {
            var trainer = GraphTrainerTests.NewTrainer(model, new TrainerOptions { Epochs = epochs, BatchSize = 4, Seed = 7, CheckEveryBatches = 3, CheckpointPath = checkpoint })
                .Augment("meta", new AddGaussianNoise(0.5));
            var stopping = new EarlyStopping("val_class_loss", patience: 100, restoreBest: true);
            trainer.Callbacks.Add(stopping);
            return (trainer, stopping);
        }

        using var whole = new TwoHeads(seed: 32);
        var (uninterrupted, stopped) = New(whole, 3);
        uninterrupted.Fit(train, validation);

        string path = Path.Combine(folder, "graph.ckpt");
        using var firstEpoch = new TwoHeads(seed: 32);
        var (first, firstStopping) = New(firstEpoch, 1, checkpoint: path);
        first.Fit(train, validation);
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));

        using var resumedModel = new TwoHeads(seed: 99); // other initial weights: everything must come from the checkpoint
        var (resumed, resumedStopping) = New(resumedModel, 3);
        resumed.LoadCheckpoint(path);
        Assert.Equal((1, first.Step), (resumed.CompletedEpochs, resumed.Step));
        Assert.Equal(first.History.ToCsv(), resumed.History.ToCsv());
        Assert.Equal((firstStopping.BestCheck, firstStopping.BestValue, firstStopping.ResolvedMode), (resumedStopping.BestCheck, resumedStopping.BestValue, resumedStopping.ResolvedMode));
        resumed.Fit(train, validation);

        Assert.Equal(3, resumed.CompletedEpochs);
        Assert.Equal(uninterrupted.Step, resumed.Step);
        Assert.Equal(uninterrupted.History.ToCsv(), resumed.History.ToCsv());
        Assert.Equal((stopped.BestCheck, stopped.BestValue), (resumedStopping.BestCheck, resumedStopping.BestValue));
        // The model ends with the best check's weights (restoreBest), bit-identical to the uninterrupted run's.
        foreach (var (name, tensor) in whole.state_dict())
            Assert.True(tensor.eq(resumedModel.state_dict()[name]).all().item<bool>(), $"{name} differs after resuming");
    }

    [Fact]
    public void Loading_another_models_checkpoint_fails_and_changes_nothing()
    {
        using var data = GraphTrainerTests.TwoHeadsData(8, seed: 33);
        using var twoHeads = new TwoHeads(seed: 34);
        var saver = GraphTrainerTests.NewTrainer(twoHeads, new TrainerOptions { Epochs = 1, BatchSize = 4 });
        saver.Fit(data);
        string path = Path.Combine(folder, "two-heads.ckpt");
        saver.SaveCheckpoint(path);

        using var pair = new LinearPair(seed: 35);
        var before = pair.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        var trainer = new GraphTrainer<Tensor>(pair, optim.Adam(pair.parameters()), new TrainerOptions { Epochs = 1 })
            .AddOutput("sum", o => o, "y", (o, t) => nn.functional.mse_loss(o, t));
        Assert.Throws<CheckpointMismatchException>(() => trainer.LoadCheckpoint(path));

        Assert.Equal(0, trainer.CompletedEpochs);
        Assert.Equal(0, trainer.Step);
        Assert.Empty(trainer.History.Records);
        foreach (var (name, tensor) in pair.state_dict()) Assert.True(tensor.eq(before[name]).all().item<bool>(), $"{name} changed");
    }

    // Meta row j holds j four times, so each row of a shuffled batch names its sample.
    private static GraphData Numbered(long n)
    {
        var generator = new Generator(36);
        Tensor meta = arange(n, dtype: ScalarType.Float32).unsqueeze(1).expand(n, 4).contiguous();
        return new GraphData(
            new Dictionary<string, Tensor> { ["image"] = randn(new long[] { n, 1, 4, 4 }, generator: generator), ["meta"] = meta },
            new Dictionary<string, Tensor> { ["y"] = zeros(n, 1) });
    }

    /// <summary>LinearPair behind a forward that keeps a copy of every batch of inputs it is given, and the mode it ran in.</summary>
    private sealed class Recording : nn.Module, IGraphModel<Tensor>
    {
        private readonly LinearPair inner;

        public Recording(LinearPair inner) : base(nameof(Recording))
        {
            this.inner = inner;
            RegisterComponents();
        }

        public List<(bool Training, Tensor Image, Tensor Meta)> Seen { get; } = new();

        public ModelGraph Graph => ((IGraphModel<Tensor>)inner).Graph;

        public IReadOnlyList<long> InputShape => inner.InputShape;

        public string Summary() => inner.Summary();

        public string Summary(int depth) => inner.Summary(depth);

        public Tensor Forward(IReadOnlyList<Tensor> inputs)
        {
            Seen.Add((training, inputs[0].detach().clone().DetachFromDisposeScope(), inputs[1].detach().clone().DetachFromDisposeScope()));
            return ((IGraphModel<Tensor>)inner).Forward(inputs);
        }
    }

    // The noise added to each sample's image in each epoch's one training batch (rows in sample order); also checks that
    // meta reached the model unchanged and that evaluation saw the images as they are.
    private static List<Tensor> ImageNoisePerEpoch(GraphData data, long seed)
    {
        using var model = new Recording(new LinearPair(seed: 37));
        var trainer = new GraphTrainer<Tensor>(model, optim.SGD(model.parameters(), 0.01), new TrainerOptions { Epochs = 2, BatchSize = (int)data.Count, Seed = seed })
            .Augment("image", new AddGaussianNoise(1.0))
            .AddOutput("sum", o => o, "y", (o, t) => nn.functional.mse_loss(o, t));
        trainer.Fit(data);
        trainer.Evaluate(data);

        var noise = new List<Tensor>();
        foreach (var (training, image, meta) in model.Seen.Where(s => s.Meta.shape[0] == data.Count)) // not the 2-row probe of the targets
        {
            Tensor rows = meta.select(1, 0).to_type(ScalarType.Int64);
            Assert.True(meta.eq(data.Inputs["meta"].index_select(0, rows)).all().item<bool>(), "meta reached the model changed");
            Tensor added = image - data.Inputs["image"].index_select(0, rows);
            if (!training)
            {
                Assert.True(added.eq(0).all().item<bool>(), "evaluation saw augmented images");
                continue;
            }
            Assert.True(added.ne(0).all().item<bool>(), "a training image was not augmented");
            noise.Add(zeros_like(added).index_copy(0, rows, added));
        }
        Assert.Equal(3, model.Seen.Count(s => s.Meta.shape[0] == data.Count)); // two training batches, one evaluation
        Assert.Equal(2, noise.Count);
        return noise;
    }

    [Fact]
    public void Augment_transforms_only_the_named_input_of_training_batches_reproducibly_and_anew_each_epoch()
    {
        using var data = Numbered(8);
        var noise = ImageNoisePerEpoch(data, seed: 5);
        Assert.False(noise[0].allclose(noise[1]), "both epochs drew the same noise");

        var again = ImageNoisePerEpoch(data, seed: 5);
        for (int epoch = 0; epoch < 2; epoch++) Assert.True(noise[epoch].eq(again[epoch]).all().item<bool>(), $"epoch {epoch + 1} drew other noise with the same seed");
        Assert.False(ImageNoisePerEpoch(data, seed: 6)[0].allclose(noise[0]), "another seed drew the same noise");
    }

    [Fact]
    public void Augmenting_an_input_the_model_lacks_names_it_and_the_models_inputs()
    {
        using var model = new TwoHeads(seed: 38);
        var trainer = GraphTrainerTests.NewTrainer(model, new TrainerOptions { Epochs = 1 });
        var error = Assert.Throws<ArgumentException>(() => trainer.Augment("images", new AddGaussianNoise(0.1)));
        Assert.Contains("'images'", error.Message);
        Assert.Contains("image, meta", error.Message);

        trainer.Augment("image", new AddGaussianNoise(0.1));
        var twice = Assert.Throws<ArgumentException>(() => trainer.Augment("image", new AddGaussianNoise(0.2)));
        Assert.Contains("Compose", twice.Message);

        // TrainerOptions.Augmentation cannot say which input: refused, naming the API that can.
        var options = Assert.Throws<ArgumentOutOfRangeException>(() => GraphTrainerTests.NewTrainer(model, new TrainerOptions { Augmentation = new AddGaussianNoise(0.1) }));
        Assert.Contains("Augment(", options.Message);

        // A worker thread is the Trainer's only: the GraphTrainer refuses it rather than ignore it.
        var workers = Assert.Throws<ArgumentOutOfRangeException>(() => GraphTrainerTests.NewTrainer(model, new TrainerOptions { NumWorkers = 1 }));
        Assert.Contains("NumWorkers must be 0 or null, got 1", workers.Message);
    }

    [Fact]
    public void Tensor_counts_stay_flat_with_augmentation_and_a_checkpoint_per_epoch()
    {
        using var train = GraphTrainerTests.TwoHeadsData(16, seed: 39);
        using var model = new TwoHeads(seed: 40);
        var trainer = GraphTrainerTests.NewTrainer(model, new TrainerOptions { Epochs = 20, BatchSize = 4, Seed = 1, CheckpointPath = Path.Combine(folder, "flat.ckpt") }, lr: 1e-3)
            .Augment("image", new AddGaussianNoise(0.1))
            .Augment("meta", new AddGaussianNoise(0.1));
        var live = new GraphTrainerTests.LiveTensorProbe();
        trainer.Callbacks.Add(live);

        trainer.Fit(train);

        Assert.Single(live.Counts.Skip(1).Distinct());
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ModelDsl.Augmentation;
using ModelDsl.Data;
using ModelDsl.Tests.Models;
using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Training;

/// <summary>
/// TrainerOptions.NumWorkers = 1 prepares each batch on a worker thread one batch ahead (BatchPrefetcher): the same
/// results bit for bit as NumWorkers = 0, flat tensor counts on both threads, and a clean end however the epoch ends.
/// </summary>
public sealed class BatchPrefetchTests : IDisposable
{
    // Every Fit here runs on a task that must end within this time: a worker that never ends would hang the test run.
    private static readonly TimeSpan NoHang = TimeSpan.FromSeconds(120);

    // 56 images at batch 16: three full batches and an incomplete one of 8.
    private readonly LabeledData train = Images(56, sampleSeed: 2);
    private readonly LabeledData validation = Images(24, sampleSeed: 3);

    public void Dispose()
    {
        train.Dispose();
        validation.Dispose();
    }

    public static TheoryData<string> Setups => new() { "augmented cnn", "drop last", "check every 3 batches", "noisy mlp", "no augmentation" };

    [Theory]
    [MemberData(nameof(Setups))]
    public async Task A_worker_gives_the_same_history_and_weights_bit_for_bit(string setup)
    {
        (string History, float[] Weights, int Workers) Run(int workers)
        {
            var (model, options) = Setup(setup, workers);
            var trainer = new Trainer(model, optim.Adam(model.parameters(), lr: 1e-2), options);
            var data = setup == "noisy mlp" ? SyntheticData.Clusters(50, 8, 3, taskSeed: 1, sampleSeed: 2) : null;
            try
            {
                trainer.Fit(data ?? train, data is null ? validation : null);
            }
            finally
            {
                data?.Dispose();
            }
            float[] weights = model.state_dict().Values.Where(t => t.dtype == ScalarType.Float32).SelectMany(t => t.data<float>().ToArray()).ToArray();
            return (trainer.History.ToCsv(), weights, trainer.PrefetchWorkers);
        }

        var serial = await Task.Run(() => Run(0)).WaitAsync(NoHang);
        var prefetched = await Task.Run(() => Run(1)).WaitAsync(NoHang);

        Assert.Equal(0, serial.Workers);
        Assert.Equal(3, prefetched.Workers); // one worker per epoch
        Assert.Equal(serial.History, prefetched.History);
        Assert.Equal(serial.Weights, prefetched.Weights);
    }

    [Fact]
    public async Task Tensor_counts_stay_flat_on_the_training_thread_and_the_worker_frees_every_batch_it_made()
    {
        var live = new TrainerTests.LiveTensorProbe();
        var model = new TinyImageClassifier(seed: 1);
        var trainer = new Trainer(model, optim.Adam(model.parameters(), lr: 1e-3),
            new TrainerOptions { Epochs = 30, BatchSize = 16, Seed = 1, Augmentation = AugmentationPresets.Digits(), NumWorkers = 1 });
        trainer.Callbacks.Add(live);

        await Task.Run(() => trainer.Fit(train, validation)).WaitAsync(NoHang);

        Assert.Equal(30, trainer.PrefetchWorkers);
        Assert.Equal(0, trainer.PrefetchWorkerLiveTensors);
        // After the first epoch (Adam allocates its moment buffers there) every check sees the same number of live tensors.
        Assert.Single(live.Counts.Skip(1).Distinct());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task An_augmentation_that_throws_surfaces_naming_the_epoch_and_batch(int workers)
    {
        var original = new InvalidOperationException("bad pixel");
        var model = new TinyImageClassifier(seed: 1);
        var trainer = new Trainer(model, optim.Adam(model.parameters(), lr: 1e-2),
            new TrainerOptions { Epochs = 3, BatchSize = 16, Seed = 1, NumWorkers = workers, Augmentation = new ThrowingAugmentation(throwAtCall: 4 + 2, original) });

        var error = await Assert.ThrowsAsync<BatchPreparationException>(() => Task.Run(() => trainer.Fit(train)).WaitAsync(NoHang));

        Assert.Equal((2, 2), (error.Epoch, error.Batch));
        Assert.Same(original, error.InnerException);
        Assert.Contains("batch 2 of epoch 2", error.Message);
        Assert.Contains("bad pixel", error.Message);
        Assert.Equal(4 + 1, trainer.Step); // the steps before the failing batch ran, the same with either count
        Assert.Equal(1, trainer.CompletedEpochs);
        Assert.Equal(workers == 1 ? 2 : 0, trainer.PrefetchWorkers);
        Assert.Equal(0, trainer.PrefetchWorkerLiveTensors);
    }

    [Fact]
    public async Task An_exception_in_the_step_ends_the_worker_and_frees_its_batches()
    {
        using var poisoned = Images(56, sampleSeed: 2);
        poisoned.Inputs[0, 0, 3, 3] = tensor(float.NaN); // every batch holding sample 0 has a NaN loss
        var model = new TinyImageClassifier(seed: 1);
        var trainer = new Trainer(model, optim.Adam(model.parameters(), lr: 1e-2),
            new TrainerOptions { Epochs = 2, BatchSize = 16, Seed = 1, NumWorkers = 1, Augmentation = new AddGaussianNoise(0.1) });

        await Assert.ThrowsAsync<NonFiniteLossException>(() => Task.Run(() => trainer.Fit(poisoned)).WaitAsync(NoHang));

        Assert.Equal(1, trainer.PrefetchWorkers);
        Assert.Equal(0, trainer.PrefetchWorkerLiveTensors);
    }

    [Fact]
    public async Task Stopping_mid_epoch_ends_the_worker_at_the_same_step_as_without_one()
    {
        (long Step, string History, long WorkerLive, int Workers) Run(int workers)
        {
            var model = new TinyImageClassifier(seed: 1);
            var trainer = new Trainer(model, optim.Adam(model.parameters(), lr: 1e-2),
                new TrainerOptions { Epochs = 5, BatchSize = 8, Seed = 1, CheckEveryBatches = 1, NumWorkers = workers, Augmentation = AugmentationPresets.Digits() });
            trainer.Callbacks.Add(new StopAtStep(10)); // epoch 2 (7 batches each), batch 3
            trainer.Fit(train);
            return (trainer.Step, trainer.History.ToCsv(), trainer.PrefetchWorkerLiveTensors, trainer.PrefetchWorkers);
        }

        var serial = await Task.Run(() => Run(0)).WaitAsync(NoHang);
        var prefetched = await Task.Run(() => Run(1)).WaitAsync(NoHang);

        Assert.Equal(10, prefetched.Step);
        Assert.Equal(serial.Step, prefetched.Step);
        Assert.Equal(serial.History, prefetched.History);
        Assert.Equal(2, prefetched.Workers);
        Assert.Equal(0, prefetched.WorkerLive);
    }

    [Fact]
    public async Task The_worker_runs_without_gradients_and_with_the_training_threads_intra_op_count()
    {
        var probe = new ProbeAugmentation();
        var model = new TinyImageClassifier(seed: 1);
        var trainer = new Trainer(model, optim.SGD(model.parameters(), 0.01),
            new TrainerOptions { Epochs = 2, BatchSize = 16, Seed = 1, Threads = 2, NumWorkers = 1, Augmentation = probe });

        int trainingThread = await Task.Run(() =>
        {
            trainer.Fit(train);
            return Environment.CurrentManagedThreadId;
        }).WaitAsync(NoHang);

        Assert.Equal(8, probe.Calls.Count); // 2 epochs × 4 batches
        Assert.All(probe.Calls, call => Assert.Equal((false, 2, ScalarType.Float32), (call.Grad, call.Threads, call.DefaultDtype)));
        Assert.DoesNotContain(trainingThread, probe.Calls.Select(c => c.Thread));
        Assert.Equal(2, probe.Calls.Select(c => c.Thread).Distinct().Count()); // one worker per epoch
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2)]
    public void NumWorkers_other_than_0_1_or_null_is_refused_naming_the_option(int workers)
    {
        var model = new TinyImageClassifier(seed: 1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(model, optim.SGD(model.parameters(), 0.01), new TrainerOptions { NumWorkers = workers }));
        Assert.Contains("NumWorkers must be 0", error.Message);
        Assert.Contains($"got {workers}", error.Message);
    }

    [Fact]
    public void The_default_takes_a_worker_only_for_an_augmentation_with_a_processor_left_free()
    {
        Assert.Equal(1, BatchPrefetcher.Choose(null, augmented: true, intraOpThreads: 1, processors: 2).Workers);
        Assert.Equal(1, BatchPrefetcher.Choose(null, augmented: true, intraOpThreads: 4, processors: 8).Workers);
        var (busy, why) = BatchPrefetcher.Choose(null, augmented: true, intraOpThreads: 2, processors: 2);
        Assert.Equal(0, busy);
        Assert.Contains("take all 2 logical processors", why);
        Assert.Equal((0, (string?)null), BatchPrefetcher.Choose(null, augmented: false, intraOpThreads: 1, processors: 2));
        Assert.Equal((0, "TrainerOptions.NumWorkers"), BatchPrefetcher.Choose(0, augmented: true, intraOpThreads: 1, processors: 2));
        Assert.Equal((1, "TrainerOptions.NumWorkers"), BatchPrefetcher.Choose(1, augmented: false, intraOpThreads: 2, processors: 2));
    }

    [Fact]
    public void The_progress_reporter_is_told_where_batches_are_prepared_after_the_thread_count_and_the_layout()
    {
        var output = new StringWriter();
        var model = new TinyImageClassifier(seed: 1);
        var trainer = new Trainer(model, optim.SGD(model.parameters(), 0.01),
            new TrainerOptions { Epochs = 1, BatchSize = 16, Seed = 1, NumWorkers = 1, Augmentation = new AddGaussianNoise(0.1), Progress = new PlainProgressReporter(output) });
        trainer.Fit(train);

        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Trainer: ", lines[0]);
        Assert.Contains("intra-op thread(s)", lines[0]);
        Assert.Equal($"Trainer: image activations {ChannelsLast.Explain(model)}.", lines[1]); // a CNN: the layout note
        Assert.Equal("Trainer: batches prepared on 1 worker thread (TrainerOptions.NumWorkers).", lines[2]);
    }

    [Fact]
    public void A_batch_the_prepare_function_does_not_own_is_left_alive_and_the_worker_count_ends_at_zero()
    {
        using var scope = NewDisposeScope();
        Tensor x = rand(4, 1, 8, 8), y = zeros(new long[] { 4 }, ScalarType.Int64);
        var prefetcher = new BatchPrefetcher(epoch: 1, batches: 3, _ => (x, y));
        using (var lease = prefetcher.Take()) Assert.True(lease.X.eq(x).all().item<bool>());
        using (prefetcher.Take()) { }
        prefetcher.Dispose(); // the third batch is prepared or waiting: the worker frees it

        Assert.Equal(0, prefetcher.WorkerLiveTensors);
        Assert.Equal(4 * 64, x.numel()); // still alive: the worker freed aliases, not the caller's tensors
        Assert.Equal(0L, y.sum().item<long>());
    }

    private static (nn.Module<Tensor, Tensor> Model, TrainerOptions Options) Setup(string setup, int workers) => setup switch
    {
        "augmented cnn" => (new TinyImageClassifier(seed: 1), new TrainerOptions
            { Epochs = 3, BatchSize = 16, Seed = 4, NumWorkers = workers, Augmentation = AugmentationPresets.Digits() }),
        "drop last" => (new TinyImageClassifier(seed: 1), new TrainerOptions
            { Epochs = 3, BatchSize = 16, Seed = 4, NumWorkers = workers, DropLast = true, Augmentation = AugmentationPresets.Digits() }),
        "check every 3 batches" => (new TinyImageClassifier(seed: 1), new TrainerOptions
            { Epochs = 3, BatchSize = 16, Seed = 4, NumWorkers = workers, CheckEveryBatches = 3, Augmentation = new Compose(new RandomShift(1), new Cutout(3)) }),
        // Batch norm and dropout, noise on flat inputs, 50 samples at batch 16: a last batch of 2.
        "noisy mlp" => (new TrainingClassifier(seed: 1), new TrainerOptions
            { Epochs = 3, BatchSize = 16, Seed = 4, NumWorkers = workers, Augmentation = new AddGaussianNoise(0.3) }),
        "no augmentation" => (new TinyImageClassifier(seed: 1), new TrainerOptions { Epochs = 3, BatchSize = 16, Seed = 4, NumWorkers = workers }),
        _ => throw new ArgumentException(setup),
    };

    private static LabeledData Images(int n, long sampleSeed)
    {
        using var flat = SyntheticData.Clusters(n, 64, 3, taskSeed: 1, sampleSeed: sampleSeed);
        return flat.Reshape(1, 8, 8);
    }

    private sealed class ThrowingAugmentation(int throwAtCall, Exception error) : IAugmentation
    {
        private int calls;

        public Tensor Apply(Tensor batch, Generator generator)
        {
            if (++calls == throwAtCall) throw error;
            return batch + randn(batch.shape, generator: generator) * 0.1;
        }
    }

    private sealed class ProbeAugmentation : IAugmentation
    {
        public List<(bool Grad, int Threads, ScalarType DefaultDtype, int Thread)> Calls { get; } = new();

        public Tensor Apply(Tensor batch, Generator generator)
        {
            Calls.Add((is_grad_enabled(), get_num_threads(), get_default_dtype(), Environment.CurrentManagedThreadId));
            return batch.clone();
        }
    }

    private sealed class StopAtStep(long step) : ITrainingCallback
    {
        public void OnCheck(Trainer trainer, HistoryRecord record)
        {
            if (trainer.Step == step) trainer.Stop();
        }

        public void OnTrainEnd(Trainer trainer) { }
    }
}
